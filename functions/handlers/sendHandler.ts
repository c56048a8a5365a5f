import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { BatchedResults } from '../usecases/countResults';
import { sendJob, type SendJobDeps } from '../usecases/sendJob';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';
import { PoisonRecordError, safeJson, type SqsHandler } from './sqs';

/** Four strings: checked by hand, which keeps zod out of the send function's cold start. */
function parseSendMessage(value: unknown): SendMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { customerId, jobId, stepId, instanceId } = value as Record<string, unknown>;
  if ([customerId, jobId, stepId, instanceId].every((v) => typeof v === 'string' && v.length > 0)) {
    return { customerId, jobId, stepId, instanceId } as SendMessage;
  }
  return undefined;
}

/**
 * Send queue → one due job per record; a throttled send fails only its own record, which SQS retries.
 * The batch's campaign results are added together after its records (BatchedResults).
 */
export function makeSendHandler(deps: SendJobDeps): SqsHandler {
  const recordHandler = (batchDeps: SendJobDeps) => async (record: SQSRecord): Promise<void> => {
    const message = parseSendMessage(safeJson(record.body));
    if (!message) throw new PoisonRecordError(record.messageId, 'not a send message');
    const result = await sendJob(message, batchDeps);
    logger.info('send job done', { customerId: message.customerId, jobId: message.jobId, ...result });
    if (result.outcome === 'sent') count('EmailsSent');
    else if (result.outcome === 'deferred') count('EmailsDeferred', 1, { name: 'reason', value: result.reason });
    else if (result.outcome !== 'ignored') count('EmailsNotSent', 1, { name: 'reason', value: result.reason ?? result.detail });
  };
  return async (event) => {
    const stats = deps.stats && new BatchedResults(deps.stats);
    try {
      return await processPartialResponse(event, recordHandler({ ...deps, stats }), new BatchProcessor(EventType.SQS));
    } finally {
      await stats?.flush('send');
    }
  };
}
