import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '../adapters/clock';
import { JobStore } from '../adapters/dynamo/jobStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { SqsSendQueue } from '../adapters/queue/sendQueue';
import { makeSweepHandler } from '../handlers/sweepHandler';
import { withMetrics } from '../shared/metrics';
import { ConfigError } from '../shared/errors';

const table = process.env['CUSTOMERS_TABLE'];
const queueUrl = process.env['SEND_QUEUE_URL'];
if (!table) throw new ConfigError('CUSTOMERS_TABLE', 'is not set');
if (!queueUrl) throw new ConfigError('SEND_QUEUE_URL', 'is not set');

export const handler = withMetrics(makeSweepHandler({
  jobs: new JobStore(createDocumentClient(), table),
  queue: new SqsSendQueue(new SQSClient({}), queueUrl),
  clock: systemClock,
}));
