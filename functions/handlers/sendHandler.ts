import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { BatchedResults } from '../usecases/countResults';
import { sendJobs, type SendJobDeps, type SendOutcome } from '../usecases/sending';
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
 * Send queue → one due job per record, sent as a batch (sendJobs: one read, one claim transaction, one
 * record transaction for the batch); a throttled send fails only its own record, which SQS retries.
 * The batch's campaign results are added together after its records (BatchedResults).
 */
export function makeSendHandler(deps: SendJobDeps & { onOutcome?: (outcome: SendOutcome) => void }): SqsHandler {
  return async (event) => {
    const stats = deps.stats && new BatchedResults(deps.stats);
    try {
      const messages = new Map(
        event.Records.flatMap((record) => {
          const message = parseSendMessage(safeJson(record.body));
          return message ? [[record.messageId, message] as const] : [];
        }),
      );
      const settled = await sendJobs([...messages.values()], { ...deps, stats });
      const results = new Map([...messages.keys()].map((id, n) => [id, settled[n]!]));
      const recordHandler = async (record: SQSRecord): Promise<void> => {
        const message = messages.get(record.messageId);
        const result = results.get(record.messageId);
        if (!message || !result) throw new PoisonRecordError(record.messageId, 'not a send message');
        if (result.status === 'rejected') throw result.reason;
        const outcome = result.value;
        deps.onOutcome?.(outcome);
        logger.info('send job done', { customerId: message.customerId, jobId: message.jobId, ...outcome });
        if (outcome.outcome === 'sent') count('EmailsSent');
        else if (outcome.outcome === 'deferred') count('EmailsDeferred', 1, { name: 'reason', value: outcome.reason });
        else if (outcome.outcome !== 'ignored') count('EmailsNotSent', 1, { name: 'reason', value: outcome.reason ?? outcome.detail });
      };
      return await processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
    } finally {
      await stats?.flush('send');
    }
  };
}
