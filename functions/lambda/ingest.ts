import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../adapters/bus/eventPublisher';
import { makeIngestHandler } from '../handlers/ingestHandler';
import { withMetrics } from '../shared/metrics';
import { ConfigError } from '../shared/errors';
import { shopApiKeys } from './secrets';
import { systemClock } from '../adapters/clock';
import { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';

const busName = process.env['EVENT_BUS_NAME'];
if (!busName) throw new ConfigError('EVENT_BUS_NAME', 'is not set');

const customersTable = process.env['CUSTOMERS_TABLE'];
if (!customersTable) throw new ConfigError('CUSTOMERS_TABLE', 'is not set');
const doc = createDocumentClient();

export const handler = withMetrics(
  makeIngestHandler({
    publisher: new EventBridgePublisher(new EventBridgeClient({}), busName),
    apiKeys: shopApiKeys,
    // Named keys: a revoked key keeps working in a warm container for up to a minute.
    keys: new ApiKeyStore(doc, customersTable, 60_000),
    deliveries: new DeliveryStore(doc, customersTable),
    clock: systemClock,
  }),
);
