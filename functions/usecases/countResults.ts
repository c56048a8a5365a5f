import type { Stats } from './ports/stats';
import { mergeCounts, type Count } from '../domain/results/counters';
import { toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';

/** Where campaign results are counted (docs/results.md); absent, nothing is counted (bare benchmarks). */
export type ResultsRecorder = Pick<Stats, 'record'>;

/**
 * Counts after the fact it is about has been recorded (an email sent, an order attributed, a consent
 * withdrawn). A failure here must not undo or repeat that fact — the queue's retry would find the job
 * ended, the event a duplicate — so it is logged and measured (`ResultsNotCounted`), and the count is
 * lost: results under-count by a rare failure rather than repeat what they count.
 */
export async function countQuietly(
  stats: ResultsRecorder | undefined,
  counts: Count[],
  at: string,
  context: { customerId: string; what: string },
): Promise<void> {
  if (!stats || counts.length === 0) return;
  try {
    await stats.record(counts, at);
  } catch (error) {
    logger.warn('campaign results not counted', { ...context, ...toErrorContext(error) });
    count('ResultsNotCounted', 1, { name: 'what', value: context.what });
  }
}

/**
 * Holds the counts of one queue batch and adds them together once its records are done: a row the
 * batch's records share (usually all of them) takes one UpdateItem, not one per email — fewer requests
 * and ten times less write pressure on that one hot item. Counted facts are already recorded when their
 * count arrives here, so the flush has countQuietly's failure semantics: logged and measured, never
 * failing a record. A process dying before the flush loses the batch's counts, as it would lose a
 * single count between record and count.
 */
export class BatchedResults implements ResultsRecorder {
  private pending: { count: Count; at: string }[] = [];

  constructor(private readonly stats: ResultsRecorder) {}

  async record(counts: Count[], at: string): Promise<number> {
    for (const c of counts) this.pending.push({ count: c, at });
    return counts.length;
  }

  async flush(what: string): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    // A summed row needs no time (only markers use it); a count with a marker goes alone, with its own.
    const plain = pending.filter((p) => !p.count.once);
    const parts = [
      ...(plain.length > 0 ? [{ counts: mergeCounts(plain.map((p) => p.count)), at: plain[plain.length - 1]!.at, of: plain.length }] : []),
      ...pending.filter((p) => p.count.once).map((p) => ({ counts: [p.count], at: p.at, of: 1 })),
    ];
    for (const part of parts) {
      try {
        await this.stats.record(part.counts, part.at);
      } catch (error) {
        logger.warn('campaign results not counted', { what, counts: part.of, ...toErrorContext(error) });
        count('ResultsNotCounted', part.of, { name: 'what', value: what });
      }
    }
  }
}
