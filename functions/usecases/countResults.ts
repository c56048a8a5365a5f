import type { StatsStore } from '../adapters/dynamo/statsStore';
import type { Count } from '../domain/results/counters';
import { toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';

/** Where campaign results are counted (docs/results.md); absent, nothing is counted (bare benchmarks). */
export type ResultsRecorder = Pick<StatsStore, 'record'>;

/**
 * Counts after the fact it is about has been recorded (an email sent, an order attributed, a consent
 * withdrawn). A failure here must not undo or repeat that fact — the queue's retry would find the job
 * ended, the event a duplicate — so it is logged and measured (`ResultsNotCounted`), and the count is
 * lost: results under-count by a rare failure rather than repeat what they count.
 */
export async function countQuietly(stats: ResultsRecorder | undefined, counts: Count[], at: string, context: { customerId: string; what: string }): Promise<void> {
  if (!stats || counts.length === 0) return;
  try {
    await stats.record(counts, at);
  } catch (error) {
    logger.warn('campaign results not counted', { ...context, ...toErrorContext(error) });
    count('ResultsNotCounted', 1, { name: 'what', value: context.what });
  }
}
