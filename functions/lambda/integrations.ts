import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { systemClock } from '../adapters/clock';
import { EventBridgePublisher } from '../adapters/bus/eventPublisher';
import { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { makeIntegrationsHandler } from '../handlers/integrations/routeIntegrations';
import { ConfigError } from '../shared/errors';
import { mappingOptionsFromEnv } from '../shared/integrationConfig';
import { withMetrics } from '../shared/metrics';
import { complianceOf } from '../usecases/receiveDelivery';
import { secretString, tokenSigningKey } from './secrets';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigError(name, 'is not set');
  return value;
}

const customersTable = env('CUSTOMERS_TABLE');
const doc = createDocumentClient();
const clock = systemClock;
const shopifyPrefix = env('SHOPIFY_SECRET_PREFIX');
/** A shop domain as Shopify sends it: it names a secret, so nothing else may pass. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

const customers = new CustomerStore(doc, customersTable);
const preferenceDeps = {
  customers,
  catalog: new CatalogCache(new CatalogStore(doc, env('CATALOG_TABLE'))),
  clock,
  stats: new StatsStore(doc, customersTable),
  policyVersion: process.env['CONSENT_POLICY_VERSION'] ?? '2026-01',
};

export const handler = withMetrics(
  makeIntegrationsHandler({
    publisher: new EventBridgePublisher(new EventBridgeClient({}), env('EVENT_BUS_NAME')),
    deliveries: new DeliveryStore(doc, customersTable),
    clock,
    // A revoked key keeps working in a warm container for up to a minute.
    keys: new ApiKeyStore(doc, customersTable, 60_000),
    options: mappingOptionsFromEnv(),
    secrets: {
      // One secret per shop: tactful/<stage>/shopify/<shop>.myshopify.com, holding that shop's webhook secret.
      shopify: async (domain) => {
        if (!domain || !SHOP_DOMAIN.test(domain)) return undefined;
        try {
          const value = await getSecret(`${shopifyPrefix}${domain}`, { maxAge: 300 });
          return typeof value === 'string' && value ? value : undefined;
        } catch {
          return undefined;
        }
      },
      woocommerce: () => secretString('WOOCOMMERCE_SECRET_ARN'),
      segmentSharedSecret: () => secretString('SEGMENT_SHARED_SECRET_ARN'),
      segmentWriteKeys: async () => [await secretString('SEGMENT_WRITE_KEY_SECRET_ARN')],
    },
    compliance: complianceOf({ ...preferenceDeps, tokenKey: tokenSigningKey }),
  }),
);
