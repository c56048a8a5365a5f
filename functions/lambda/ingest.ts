import { createEventBridgeClient } from '../adapters/awsClients';
import { EventBridgePublisher } from '../adapters/bus/eventPublisher';
import { makeIngestHandler } from '../handlers/ingestHandler';
import { withMetrics } from '../shared/metrics';
import { configFromEnv } from '../shared/config';
import { shopApiKeys } from './secrets';
import { systemClock } from '../adapters/clock';
import { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';

const { customersTable, eventBusName } = configFromEnv(process.env, ['eventBusName']);
const doc = createDocumentClient();

export const handler = withMetrics(
  makeIngestHandler({
    publisher: new EventBridgePublisher(createEventBridgeClient(), eventBusName),
    apiKeys: shopApiKeys,
    // Named keys: a revoked key keeps working in a warm container for up to a minute.
    keys: new ApiKeyStore(doc, customersTable, 60_000),
    deliveries: new DeliveryStore(doc, customersTable),
    clock: systemClock,
  }),
);
