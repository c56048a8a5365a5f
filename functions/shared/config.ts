import { durationToMillis, isDuration } from '../domain/time/duration';
import { DEFAULT_CAP_RULES, type CapRule } from '../domain/pacing/frequencyCap';
import { DEFAULT_QUIET_HOURS, isClockTime, type QuietHours } from '../domain/pacing/quietHours';
import type { ConsentModel } from '../domain/customers/profile';
import type { MappingOptions } from '../domain/integrations/delivery';
import { ENV } from './envNames';
import { ConfigError } from './errors';
import { mappingOptionsFromEnv } from './integrationConfig';

/**
 * Settings every function can read from its environment: all but the customers table have defaults. The
 * CDK stack and the local bootstrap set the same names (envNames.ts).
 */
export interface SharedSettings {
  customersTable: string;
  shopName: string;
  shopPostalAddress: string;
  /** Recipients with no valid time zone of their own are treated as living here. */
  defaultTimeZone: string;
  /** The SES configuration set of emails that may track opens and clicks (the customer allowed it). */
  sesConfigurationSet?: string;
  /** The one for every other email: the same bounce, complaint and delivery events, no open or click tracking. */
  sesUntrackedConfigurationSet?: string;
  /** How the shop looks on customer pages and in the emails' header (docs/consent.md#shop-branding). */
  branding: Branding;
  /** Shop-wide marketing caps per customer over rolling windows (CAP_RULES="2/PT24H,5/P7D"). */
  capRules: CapRule[];
  /** Shop-wide quiet hours in each recipient's zone (QUIET_HOURS="21:00-08:00", or "off"). */
  quietHours: QuietHours;
  /** What missing consent means: opt-in everywhere unless OPT_OUT_COUNTRIES names countries (docs/consent.md). */
  consentModel: ConsentModel;
  /** What missing `tracking` consent means: no tracking anywhere unless TRACKING_OPT_OUT_COUNTRIES names countries. */
  trackingModel: ConsentModel;
  /** One-click unsubscribe withdraws the email's topic ("topic", default) or all marketing ("all"). */
  unsubscribeScope: 'topic' | 'all';
  /** The consent policy version recorded with changes made in the preference center. */
  policyVersion: string;
  /** Four eyes: a publish waits until a second publisher approves it (REQUIRE_APPROVAL=true). */
  requireApproval: boolean;
  /** Where test sends may go (TEST_SEND_ALLOWLIST: addresses and *@domain, comma-separated); undefined: anywhere. */
  testSendAllowlist?: string[];
  /** The account's SES maximum send rate (SES_MAX_SEND_RATE, emails a second): broadcasts never go faster. Unset: no ceiling (locally). */
  sesMaxSendRate?: number;
  /** Parallel scan segments per broadcast wave (BROADCAST_SCAN_SEGMENTS, default 4): workers, and shares of the rate. */
  broadcastScanSegments?: number;
}

function positiveNumber(raw: string | undefined, name: string, integer = false): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new ConfigError(name, `must be a positive ${integer ? 'whole number' : 'number'}, got "${raw}"`);
  return n;
}

/** Settings only some functions are given: each entry point names the ones it needs, and only those must be set. */
export interface FunctionSettings {
  catalogTable: string;
  fromAddress: string;
  /** Base of unsubscribe and preference links, e.g. https://mail.example.com */
  publicBaseUrl: string;
  eventBusName: string;
  sendQueueUrl: string;
  /** Where the sweep and the broadcast workers hand broadcast wave parts (docs/broadcasts.md). */
  broadcastQueueUrl: string;
  /** Shopify's webhook secrets are one per shop, named this prefix and the shop's domain. */
  shopifySecretPrefix: string;
  /** How platforms' fields map where a platform has no standard (integrationConfig.ts). */
  integrationMapping: MappingOptions;
  /** The console's staff sign-in (Cognito), where the stack made a user pool; undefined: bearer keys only. */
  cognito: CognitoSettings | undefined;
}

export interface CognitoSettings {
  userPoolId: string;
  clientId: string;
  domain: string;
}

export type Need = keyof FunctionSettings;

/** What the functions that send, preview or show customer pages read: the shared settings, the catalog, From and links. */
export type AppConfig = SharedSettings & Pick<FunctionSettings, 'catalogTable' | 'fromAddress' | 'publicBaseUrl'>;

export function parseFlag(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(name, `must be "true" or "false", got "${raw}"`);
}

export function parseAllowlist(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    if (!/^(\*|[^@\s*]+)@[^@\s*]+\.[^@\s*]+$/.test(e))
      throw new ConfigError(ENV.testSendAllowlist, `"${e}" is neither an address nor *@domain`);
  }
  return entries;
}

export function parseOptOutCountries(raw: string | undefined, name: string = ENV.optOutCountries): ConsentModel {
  const countries = (raw ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  for (const c of countries) if (!/^[A-Z]{2}$/.test(c)) throw new ConfigError(name, `"${c}" is not an ISO 3166-1 alpha-2 code`);
  return { optOutCountries: countries };
}

export interface Branding {
  shopName: string;
  /** An https address of the shop's logo, shown with the shop's name as its text alternative. */
  logoUrl?: string;
  /** The shop's colour (#rrggbb) for headings, buttons and links; darkened until it reads on white. */
  brandColor: string;
  /** Where customers can write to a person. */
  supportAddress?: string;
}

export const DEFAULT_BRAND_COLOR = '#0b6e4f';

export function parseBranding(env: NodeJS.ProcessEnv): Branding {
  const logoUrl = env[ENV.shopLogoUrl] || undefined;
  if (logoUrl !== undefined && !/^https:\/\/[^\s"'<>]+$/.test(logoUrl)) {
    throw new ConfigError(ENV.shopLogoUrl, `must be an https address, got "${logoUrl}"`);
  }
  const brandColor = (env[ENV.shopBrandColor] || DEFAULT_BRAND_COLOR).toLowerCase();
  if (!/^#[0-9a-f]{6}$/.test(brandColor)) throw new ConfigError(ENV.shopBrandColor, `must be a colour like #0b6e4f, got "${brandColor}"`);
  const supportAddress = env[ENV.shopSupportAddress] || undefined;
  if (supportAddress !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(supportAddress)) {
    throw new ConfigError(ENV.shopSupportAddress, `must be an email address, got "${supportAddress}"`);
  }
  return { shopName: env[ENV.shopName] ?? 'Our shop', logoUrl, brandColor, supportAddress };
}

export function parseUnsubscribeScope(raw: string | undefined): 'topic' | 'all' {
  if (raw === undefined || raw === '' || raw === 'topic') return 'topic';
  if (raw === 'all') return 'all';
  throw new ConfigError(ENV.unsubscribeScope, `must be "topic" or "all", got "${raw}"`);
}

export function parseCapRules(raw: string | undefined): CapRule[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_CAP_RULES;
  return raw.split(',').map((part) => {
    const [count, window] = part.trim().split('/');
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || !window || !isDuration(window)) {
      throw new ConfigError(ENV.capRules, `"${part.trim()}" is not COUNT/ISO-DURATION such as 2/PT24H`);
    }
    return { count: n, windowMs: durationToMillis(window), label: `global:${n}/${window}` };
  });
}

export function parseQuietHours(raw: string | undefined): QuietHours {
  if (raw === undefined || raw.trim() === '') return DEFAULT_QUIET_HOURS;
  if (raw.trim() === 'off') return { start: '00:00', end: '00:00' };
  const [start, end] = raw.trim().split('-');
  if (!start || !end || !isClockTime(start) || !isClockTime(end))
    throw new ConfigError(ENV.quietHours, `"${raw}" is not HH:mm-HH:mm such as 21:00-08:00, or off`);
  return { start, end };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(name, 'is not set');
  return value;
}

function sharedSettings(env: NodeJS.ProcessEnv): SharedSettings {
  return {
    customersTable: required(env, ENV.customersTable),
    shopName: env[ENV.shopName] ?? 'Our shop',
    shopPostalAddress: env[ENV.shopPostalAddress] ?? '',
    defaultTimeZone: env[ENV.defaultTimeZone] ?? 'UTC',
    sesConfigurationSet: env[ENV.sesConfigurationSet] || undefined,
    sesUntrackedConfigurationSet: env[ENV.sesUntrackedConfigurationSet] || undefined,
    branding: parseBranding(env),
    capRules: parseCapRules(env[ENV.capRules]),
    quietHours: parseQuietHours(env[ENV.quietHours]),
    consentModel: parseOptOutCountries(env[ENV.optOutCountries]),
    trackingModel: parseOptOutCountries(env[ENV.trackingOptOutCountries], ENV.trackingOptOutCountries),
    unsubscribeScope: parseUnsubscribeScope(env[ENV.unsubscribeScope]),
    policyVersion: env[ENV.policyVersion] ?? '2026-01',
    requireApproval: parseFlag(env[ENV.requireApproval], ENV.requireApproval),
    testSendAllowlist: parseAllowlist(env[ENV.testSendAllowlist]),
    sesMaxSendRate: positiveNumber(env[ENV.sesMaxSendRate], ENV.sesMaxSendRate),
    broadcastScanSegments: positiveNumber(env[ENV.broadcastScanSegments], ENV.broadcastScanSegments, true),
  };
}

const READERS: { [K in Need]: (env: NodeJS.ProcessEnv) => FunctionSettings[K] } = {
  catalogTable: (env) => required(env, ENV.catalogTable),
  fromAddress: (env) => required(env, ENV.fromAddress),
  publicBaseUrl: (env) => required(env, ENV.publicBaseUrl).replace(/\/+$/, ''),
  eventBusName: (env) => required(env, ENV.eventBusName),
  sendQueueUrl: (env) => required(env, ENV.sendQueueUrl),
  broadcastQueueUrl: (env) => required(env, ENV.broadcastQueueUrl),
  shopifySecretPrefix: (env) => required(env, ENV.shopifySecretPrefix),
  integrationMapping: (env) => mappingOptionsFromEnv(env),
  cognito: (env) => {
    const userPoolId = env[ENV.cognitoUserPoolId];
    if (!userPoolId) return undefined;
    return { userPoolId, clientId: required(env, ENV.cognitoClientId), domain: required(env, ENV.cognitoDomain) };
  },
};

const APP_NEEDS = ['catalogTable', 'fromAddress', 'publicBaseUrl'] as const;

/**
 * Every function's configuration, read once per container by its entry point (functions/lambda/*) and by
 * the local system: the shared settings and the function's own needs, each checked, so a function fails
 * at start naming the variable rather than at the first request. Without needs: AppConfig.
 */
export function configFromEnv(env?: NodeJS.ProcessEnv): AppConfig;
export function configFromEnv<N extends Need>(env: NodeJS.ProcessEnv, needs: readonly N[]): SharedSettings & Pick<FunctionSettings, N>;
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  needs: readonly Need[] = APP_NEEDS,
): SharedSettings & Partial<FunctionSettings> {
  const config: SharedSettings & Partial<FunctionSettings> = sharedSettings(env);
  for (const need of needs) Object.assign(config, { [need]: READERS[need](env) });
  return config;
}
