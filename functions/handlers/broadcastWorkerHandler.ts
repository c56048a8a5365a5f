import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { runWavePart, type FanOutDeps, type PartMessage } from '../usecases/broadcasts/fanOut';
import { logger } from '../shared/logger';
import { PoisonRecordError, safeJson, type SqsHandler } from './sqs';

function parsePartMessage(value: unknown): PartMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { broadcastId, waveAt, part } = value as Record<string, unknown>;
  if (typeof broadcastId === 'string' && typeof waveAt === 'string' && Number.isInteger(part) && (part as number) >= 0)
    return { broadcastId, waveAt, part: part as number };
  return undefined;
}

/**
 * Broadcast queue → one wave part per record (fanOut.ts): a part that fails is retried by the queue
 * and resumes at the page it stood at; its recipients' jobs are made once whatever is redelivered.
 */
export function makeBroadcastWorkerHandler(deps: FanOutDeps): SqsHandler {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const message = parsePartMessage(safeJson(record.body));
    if (!message) throw new PoisonRecordError(record.messageId, 'not a broadcast part');
    const outcome = await runWavePart(message, deps);
    logger.info('broadcast part worked', { ...message, outcome });
  };
  return (event) => processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
}
