import { createSqsClient } from '../adapters/awsClients';
import { systemClock } from '../adapters/clock';
import { AudienceReader } from '../adapters/dynamo/audienceReader';
import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { RecipientJobs } from '../adapters/dynamo/recipientJobs';
import { SegmentStore } from '../adapters/dynamo/segmentStore';
import { SqsSendQueue } from '../adapters/queue/sendQueue';
import type { FanOutDeps, PartMessage } from '../usecases/broadcasts/fanOut';
import { configFromEnv } from '../shared/config';

/**
 * The broadcast fan-out's wiring (docs/broadcasts.md), shared by the broadcast workers (one wave part
 * per message) and the sweep (which opens waves): the same ports, from the same settings.
 */
export function fanOutDepsFromEnv(env: NodeJS.ProcessEnv = process.env): FanOutDeps {
  const config = configFromEnv(env, ['catalogTable', 'sendQueueUrl', 'broadcastQueueUrl']);
  const doc = createDocumentClient();
  const sqs = createSqsClient();
  return {
    broadcasts: new BroadcastStore(doc, config.catalogTable, config.customersTable),
    segments: new SegmentStore(doc, config.catalogTable),
    audience: new AudienceReader(doc, config.customersTable),
    recipients: new RecipientJobs(doc, config.customersTable),
    sendQueue: new SqsSendQueue(sqs, config.sendQueueUrl),
    partQueue: new SqsSendQueue<PartMessage>(sqs, config.broadcastQueueUrl),
    clock: systemClock,
    config,
    ...(config.broadcastScanSegments ? { scanSegments: config.broadcastScanSegments } : {}),
  };
}
