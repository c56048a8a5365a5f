import { durationToMillis, isDuration } from '../domain/duration';
import { DEFAULT_CAP_RULES, type CapRule } from '../domain/frequencyCap';
import { DEFAULT_QUIET_HOURS, isClockTime, type QuietHours } from '../domain/quietHours';
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
  sesConfigurationSet?: string;
  /** Shop-wide marketing caps per customer over rolling windows (CAP_RULES="2/PT24H,5/P7D"). */
  capRules: CapRule[];
  /** Shop-wide quiet hours in each recipient's zone (QUIET_HOURS="21:00-08:00", or "off"). */
  quietHours: QuietHours;
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
  if (!start || !end || !isClockTime(start) || !isClockTime(end)) throw new ConfigError('QUIET_HOURS', `"${raw}" is not HH:mm-HH:mm such as 21:00-08:00, or off`);
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
    capRules: parseCapRules(env['CAP_RULES']),
    quietHours: parseQuietHours(env['QUIET_HOURS']),
  };
}
