import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../adapters/bus/eventPublisher';
import { makeIngestHandler } from '../handlers/ingestHandler';
import { withMetrics } from '../shared/metrics';
import { ConfigError } from '../shared/errors';
import { shopApiKeys } from './secrets';

const busName = process.env['EVENT_BUS_NAME'];
if (!busName) throw new ConfigError('EVENT_BUS_NAME', 'is not set');

export const handler = withMetrics(makeIngestHandler({ publisher: new EventBridgePublisher(new EventBridgeClient({}), busName), apiKeys: shopApiKeys }));
