import { createEventBridgeClient } from '../adapters/awsClients';
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
import { configFromEnv } from '../shared/config';
import { ENV } from '../shared/envNames';
import { withMetrics } from '../shared/metrics';
import { complianceOf } from '../usecases/receiveDelivery';
import { secretString, tokenSigningKey } from './secrets';

const config = configFromEnv(process.env, ['catalogTable', 'eventBusName', 'shopifySecretPrefix', 'integrationMapping']);
const { customersTable } = config;
const doc = createDocumentClient();
const clock = systemClock;
/** A shop domain as Shopify sends it: it names a secret, so nothing else may pass. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

const customers = new CustomerStore(doc, customersTable);
const preferenceDeps = {
  customers,
  catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable)),
  clock,
  stats: new StatsStore(doc, customersTable),
  policyVersion: config.policyVersion,
};

export const handler = withMetrics(
  makeIntegrationsHandler({
    publisher: new EventBridgePublisher(createEventBridgeClient(), config.eventBusName),
    deliveries: new DeliveryStore(doc, customersTable),
    clock,
    // A revoked key keeps working in a warm container for up to a minute.
    keys: new ApiKeyStore(doc, customersTable, 60_000),
    options: config.integrationMapping,
    secrets: {
      // One secret per shop: tactful/<stage>/shopify/<shop>.myshopify.com, holding that shop's webhook secret.
      shopify: async (domain) => {
        if (!domain || !SHOP_DOMAIN.test(domain)) return undefined;
        try {
          const value = await getSecret(`${config.shopifySecretPrefix}${domain}`, { maxAge: 300 });
          return typeof value === 'string' && value ? value : undefined;
        } catch {
          return undefined;
        }
      },
      woocommerce: () => secretString(ENV.woocommerceSecretArn),
      segmentSharedSecret: () => secretString(ENV.segmentSharedSecretArn),
      segmentWriteKeys: async () => [await secretString(ENV.segmentWriteKeySecretArn)],
    },
    compliance: complianceOf({ ...preferenceDeps, tokenKey: tokenSigningKey }),
  }),
);
