import { createSqsClient } from '../adapters/awsClients';
import { systemClock } from '../adapters/clock';
import { JobStore } from '../adapters/dynamo/jobStore';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { SqsSendQueue } from '../adapters/queue/sendQueue';
import { makeSweepHandler } from '../handlers/sweepHandler';
import { withMetrics } from '../shared/metrics';
import { configFromEnv } from '../shared/config';
import { fanOutDepsFromEnv } from './broadcastWiring';

const config = configFromEnv(process.env, ['catalogTable', 'sendQueueUrl']);
const doc = createDocumentClient();

export const handler = withMetrics(
  makeSweepHandler({
    jobs: new JobStore(doc, config.customersTable),
    // Which campaigns run: held steps of those are released (a resume that a send container missed).
    catalogStore: new CatalogStore(doc, config.catalogTable),
    queue: new SqsSendQueue(createSqsClient(), config.sendQueueUrl),
    clock: systemClock,
    // Opens broadcast waves that are due: their parts go to the broadcast queue.
    broadcasts: fanOutDepsFromEnv(),
  }),
);
