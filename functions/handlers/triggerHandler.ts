import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { busEventSchema } from '../domain/events/events';
import { applyShopEvent, type ApplyShopEventDeps } from '../usecases/applyShopEvent';
import { logger } from '../shared/logger';
import { PoisonRecordError, safeJson, type SqsHandler } from './sqs';

/** EventBridge delivers the shop event as `detail` of its envelope (rule → SQS target). */
const busEnvelope = z.object({ detail: busEventSchema });

/** Trigger queue → one shop event per record; failed records are reported, not the whole batch. */
export function makeTriggerHandler(deps: ApplyShopEventDeps): SqsHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = busEnvelope.safeParse(safeJson(record.body));
    if (!parsed.success) throw new PoisonRecordError(record.messageId, 'not a shop event envelope');
    const result = await applyShopEvent(parsed.data.detail, deps);
    logger.debug('event applied', { eventId: parsed.data.detail.id, customerId: parsed.data.detail.customerId, result });
  };
  return (event) => processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
}
