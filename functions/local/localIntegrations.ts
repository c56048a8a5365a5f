import type { IntegrationSecrets } from '../handlers/integrations/integrationHandlers';

/** The integrations' secrets locally: the environment's, or development defaults that `npm start` prints. */
export const LOCAL_INTEGRATION_DEFAULTS = {
  SHOPIFY_WEBHOOK_SECRET: 'dev-shopify-secret',
  WOOCOMMERCE_WEBHOOK_SECRET: 'dev-woo-secret',
  SEGMENT_WRITE_KEY: 'dev-write-key',
  SEGMENT_SHARED_SECRET: 'dev-segment-secret',
  CART_URL_TEMPLATE: 'https://shop.example.com/cart?id={cart_id}',
} as const;

type SecretName = keyof typeof LOCAL_INTEGRATION_DEFAULTS;
export type IntegrationSetting = SecretName | 'DEFAULT_CURRENCY' | 'SHOPIFY_CONSENT_TOPICS' | 'SEGMENT_CONSENT_TRAITS';
export type IntegrationEnv = Record<SecretName, string>;

/** What is in force: what the caller gives, else the environment, else the development default. */
export function localIntegrationEnv(given: Partial<Record<IntegrationSetting, string>> | undefined): IntegrationEnv {
  const env = { ...LOCAL_INTEGRATION_DEFAULTS } as IntegrationEnv;
  for (const name of Object.keys(LOCAL_INTEGRATION_DEFAULTS) as SecretName[]) {
    const value = given?.[name] ?? process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

export function localIntegrationSecrets(env: IntegrationEnv): IntegrationSecrets {
  return {
    shopify: async () => env.SHOPIFY_WEBHOOK_SECRET,
    woocommerce: async () => env.WOOCOMMERCE_WEBHOOK_SECRET,
    segmentSharedSecret: async () => env.SEGMENT_SHARED_SECRET,
    segmentWriteKeys: async () => [env.SEGMENT_WRITE_KEY],
  };
}

/** What the console's integrations page says of each secret: a development default, or set. */
export function localSecretStatus(env: IntegrationEnv, apiKey: string): () => Promise<Record<string, string>> {
  return async () => {
    const status = (name: SecretName) => (env[name] === LOCAL_INTEGRATION_DEFAULTS[name] ? 'development default' : 'set');
    return {
      shopify: status('SHOPIFY_WEBHOOK_SECRET'),
      woocommerce: status('WOOCOMMERCE_WEBHOOK_SECRET'),
      'segment-write-key': status('SEGMENT_WRITE_KEY'),
      'api-key': apiKey === 'dev-key' ? 'development default' : 'set',
    };
  };
}
