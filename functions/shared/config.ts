import { durationToMillis, isDuration } from '../domain/duration';
import { DEFAULT_CAP_RULES, type CapRule } from '../domain/frequencyCap';
import { DEFAULT_QUIET_HOURS, isClockTime, type QuietHours } from '../domain/quietHours';
import type { ConsentModel } from '../domain/profile';
import { ConfigError } from './errors';

/** Settings every function reads from its environment; the CDK stack and local bootstrap set the same names. */
export interface AppConfig {
  customersTable: string;
  catalogTable: string;
  fromAddress: string;
  /** Base of unsubscribe and preference links, e.g. https://mail.example.com */
  publicBaseUrl: string;
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
}

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
      throw new ConfigError('TEST_SEND_ALLOWLIST', `"${e}" is neither an address nor *@domain`);
  }
  return entries;
}

export function parseOptOutCountries(raw: string | undefined, name = 'OPT_OUT_COUNTRIES'): ConsentModel {
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
  const logoUrl = env['SHOP_LOGO_URL'] || undefined;
  if (logoUrl !== undefined && !/^https:\/\/[^\s"'<>]+$/.test(logoUrl)) {
    throw new ConfigError('SHOP_LOGO_URL', `must be an https address, got "${logoUrl}"`);
  }
  const brandColor = (env['SHOP_BRAND_COLOR'] || DEFAULT_BRAND_COLOR).toLowerCase();
  if (!/^#[0-9a-f]{6}$/.test(brandColor)) throw new ConfigError('SHOP_BRAND_COLOR', `must be a colour like #0b6e4f, got "${brandColor}"`);
  const supportAddress = env['SHOP_SUPPORT_ADDRESS'] || undefined;
  if (supportAddress !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(supportAddress)) {
    throw new ConfigError('SHOP_SUPPORT_ADDRESS', `must be an email address, got "${supportAddress}"`);
  }
  return { shopName: env['SHOP_NAME'] ?? 'Our shop', logoUrl, brandColor, supportAddress };
}

export function parseUnsubscribeScope(raw: string | undefined): 'topic' | 'all' {
  if (raw === undefined || raw === '' || raw === 'topic') return 'topic';
  if (raw === 'all') return 'all';
  throw new ConfigError('UNSUBSCRIBE_SCOPE', `must be "topic" or "all", got "${raw}"`);
}

export function parseCapRules(raw: string | undefined): CapRule[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_CAP_RULES;
  return raw.split(',').map((part) => {
    const [count, window] = part.trim().split('/');
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || !window || !isDuration(window)) {
      throw new ConfigError('CAP_RULES', `"${part.trim()}" is not COUNT/ISO-DURATION such as 2/PT24H`);
    }
    return { count: n, windowMs: durationToMillis(window), label: `global:${n}/${window}` };
  });
}

export function parseQuietHours(raw: string | undefined): QuietHours {
  if (raw === undefined || raw.trim() === '') return DEFAULT_QUIET_HOURS;
  if (raw.trim() === 'off') return { start: '00:00', end: '00:00' };
  const [start, end] = raw.trim().split('-');
  if (!start || !end || !isClockTime(start) || !isClockTime(end))
    throw new ConfigError('QUIET_HOURS', `"${raw}" is not HH:mm-HH:mm such as 21:00-08:00, or off`);
  return { start, end };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(name, 'is not set');
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    customersTable: required(env, 'CUSTOMERS_TABLE'),
    catalogTable: required(env, 'CATALOG_TABLE'),
    fromAddress: required(env, 'FROM_ADDRESS'),
    publicBaseUrl: required(env, 'PUBLIC_BASE_URL').replace(/\/+$/, ''),
    shopName: env['SHOP_NAME'] ?? 'Our shop',
    shopPostalAddress: env['SHOP_POSTAL_ADDRESS'] ?? '',
    defaultTimeZone: env['DEFAULT_TIME_ZONE'] ?? 'UTC',
    sesConfigurationSet: env['SES_CONFIGURATION_SET'] || undefined,
    sesUntrackedConfigurationSet: env['SES_UNTRACKED_CONFIGURATION_SET'] || undefined,
    branding: parseBranding(env),
    capRules: parseCapRules(env['CAP_RULES']),
    quietHours: parseQuietHours(env['QUIET_HOURS']),
    consentModel: parseOptOutCountries(env['OPT_OUT_COUNTRIES']),
    trackingModel: parseOptOutCountries(env['TRACKING_OPT_OUT_COUNTRIES'], 'TRACKING_OPT_OUT_COUNTRIES'),
    unsubscribeScope: parseUnsubscribeScope(env['UNSUBSCRIBE_SCOPE']),
    policyVersion: env['CONSENT_POLICY_VERSION'] ?? '2026-01',
    requireApproval: parseFlag(env['REQUIRE_APPROVAL'], 'REQUIRE_APPROVAL'),
    testSendAllowlist: parseAllowlist(env['TEST_SEND_ALLOWLIST']),
  };
}
