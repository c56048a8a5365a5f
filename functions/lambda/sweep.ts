import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '../adapters/clock';
import { JobStore } from '../adapters/dynamo/jobStore';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { SqsSendQueue } from '../adapters/queue/sendQueue';
import { makeSweepHandler } from '../handlers/sweepHandler';
import { withMetrics } from '../shared/metrics';
import { ConfigError } from '../shared/errors';

const table = process.env['CUSTOMERS_TABLE'];
const queueUrl = process.env['SEND_QUEUE_URL'];
if (!table) throw new ConfigError('CUSTOMERS_TABLE', 'is not set');
if (!queueUrl) throw new ConfigError('SEND_QUEUE_URL', 'is not set');
const catalogTable = process.env['CATALOG_TABLE'];
if (!catalogTable) throw new ConfigError('CATALOG_TABLE', 'is not set');
const doc = createDocumentClient();

export const handler = withMetrics(
  makeSweepHandler({
    jobs: new JobStore(doc, table),
    // Which campaigns run: held steps of those are released (a resume that a send container missed).
    catalogStore: new CatalogStore(doc, catalogTable),
    queue: new SqsSendQueue(new SQSClient({}), queueUrl),
    clock: systemClock,
  }),
);
