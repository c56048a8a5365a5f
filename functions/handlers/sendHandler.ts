import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { sendJob, type SendJobDeps } from '../usecases/sendJob';
import { logger } from '../shared/logger';
import { PoisonRecordError, safeJson, type SqsHandler } from './sqs';

const sendMessageSchema = z.object({ customerId: z.string(), jobId: z.string(), stepId: z.string(), instanceId: z.string() });

/** Send queue → one due job per record; a throttled send fails only its own record, which SQS retries. */
export function makeSendHandler(deps: SendJobDeps): SqsHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = sendMessageSchema.safeParse(safeJson(record.body));
    if (!parsed.success) throw new PoisonRecordError(record.messageId, 'not a send message');
    const message: SendMessage = parsed.data;
    const result = await sendJob(message, deps);
    logger.info('send job done', { customerId: message.customerId, jobId: message.jobId, ...result });
  };
  return (event) => processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
}
