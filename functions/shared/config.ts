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
  };
}
