import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { shopEventSchema } from '../domain/events';
import { applyShopEvent, type ApplyShopEventDeps } from '../usecases/applyShopEvent';
import { sendJob, type SendJobDeps } from '../usecases/sendJob';
import { dispatchDueJobs, type DispatchDeps } from '../usecases/dispatchDueJobs';
import { logger } from '../shared/logger';

/** A record that can never succeed (it does not parse): retrying is pointless, so it goes to the DLQ. */
export class PoisonRecordError extends Error {
  override name = 'PoisonRecordError';
  constructor(readonly messageId: string, problem: string) {
    super(`record ${messageId} cannot be processed: ${problem}`);
  }
}

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** EventBridge delivers the shop event as `detail` of its envelope (rule → SQS target). */
const busEnvelope = z.object({ detail: shopEventSchema });

export function makeTriggerHandler(deps: ApplyShopEventDeps): SqsHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = busEnvelope.safeParse(safeJson(record.body));
    if (!parsed.success) throw new PoisonRecordError(record.messageId, 'not a shop event envelope');
    const result = await applyShopEvent(parsed.data.detail, deps);
    logger.debug('event applied', { eventId: parsed.data.detail.id, customerId: parsed.data.detail.customerId, result });
  };
  return (event) => processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
}

const sendMessageSchema = z.object({ customerId: z.string(), jobId: z.string(), stepId: z.string(), instanceId: z.string() });

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

export function makeSweepHandler(deps: DispatchDeps): () => Promise<{ dispatched: number }> {
  return async () => {
    const dispatched = await dispatchDueJobs(deps);
    if (dispatched > 0) logger.info('due jobs dispatched', { dispatched });
    return { dispatched };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
