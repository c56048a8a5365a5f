import { type Job } from '../../domain/journeys/job';
import { logger } from '../../shared/logger';
import { toErrorContext } from '../../shared/errors';
import { chunksOf } from '../../shared/chunks';
import { LOST_RACE, rereadingOnConflict } from '../../shared/retry';
import { type SendJobDeps, type SendOutcome, JOBS_PER_TRANSACTION, type ReadyToClaim, isOutcome } from './types';
import { paced } from './decide';

/**
 * Phase 2, claim: the job from pending/queued to sending, atomic with its cap slot, before SES is called.
 * Alone, or a batch's in transactions; a claim the transaction could not make is made again alone.
 */

/**
 * The claim of one job. Cap conflicts mean another send for the same customer moved first: the caps are
 * read again and the job paced again from them (shared/retry.ts).
 */
export async function claimAlone(deps: SendJobDeps, ready: ReadyToClaim, now: string, freshCaps = false): Promise<Job | SendOutcome> {
  return rereadingOnConflict(async (attempt) => {
    if (freshCaps || attempt > 0) {
      const again = await paced(deps, { ...ready, caps: await deps.jobs.getCaps(ready.live.job.customerId) }, now);
      if (isOutcome(again)) return again;
      ready = again;
    }
    const result = await deps.jobs.claim(ready.live.job, now, ready.slots);
    if ('claimed' in result) return result.claimed;
    if (result.conflict === 'job') return { outcome: 'ignored', detail: 'claimed-elsewhere' };
    return LOST_RACE;
  }, `frequency cap of ${ready.live.job.customerId}`);
}

/**
 * The claims of the jobs that are ready, in transactions of up to JOBS_PER_TRANSACTION (one job per
 * customer, as `sendJobs` arranges). A claim that fell with the transaction is made alone: a job that
 * failed its own condition is left as `sendJob` leaves it, one whose cap moved is paced again from a
 * fresh read, one that fell only with the others is claimed again as it was. If the transaction fails
 * as a whole, each is claimed alone.
 */
export function claimTogether(
  deps: SendJobDeps,
  decided: Promise<ReadyToClaim | SendOutcome>[],
  now: string,
): Promise<(Promise<Job | SendOutcome> | undefined)[]> {
  return Promise.allSettled(decided).then((settled) => {
    const results: (Promise<Job | SendOutcome> | undefined)[] = settled.map(() => undefined);
    const ready = settled.flatMap((s, n) => (s.status === 'fulfilled' && !isOutcome(s.value) ? [{ ready: s.value, n }] : []));
    for (const chunk of chunksOf(ready, JOBS_PER_TRANSACTION)) {
      const claimed =
        chunk.length === 1
          ? Promise.resolve([undefined])
          : deps.jobs
              .claimAll(
                chunk.map(({ ready }) => ({ job: ready.live.job, slots: ready.slots })),
                now,
              )
              .catch((error: unknown) => {
                logger.warn('batch claim failed; claiming its jobs one by one', toErrorContext(error));
                return chunk.map(() => undefined);
              });
      chunk.forEach(({ ready, n }, k) => {
        results[n] = claimed.then((all) => {
          const result = all[k];
          if (result === undefined) return claimAlone(deps, ready, now);
          if ('claimed' in result) return result.claimed;
          if (result.conflict === 'job') return { outcome: 'ignored', detail: 'claimed-elsewhere' } as const;
          return claimAlone(deps, ready, now, result.conflict === 'caps');
        });
      });
    }
    // Awaited later, after other awaits: marked handled here so a rejection waits for its reader.
    for (const r of results) r?.catch(() => undefined);
    return results;
  });
}
