import type { CatalogRecords } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Jobs } from './ports/jobs';
import type { SendQueue } from './ports/queues';
import { toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';

export interface DispatchDeps {
  jobs: Jobs;
  queue: SendQueue;
  clock: Clock;
  /** The catalog, to find held steps of campaigns that are no longer paused (see releaseStrayHolds). */
  catalogStore?: Pick<CatalogRecords, 'listCampaigns' | 'pausedCampaignIds'>;
}

/** Held steps a resume (or the sweep) lets go per minute, so a long pause's backlog does not go out in one burst. */
export const RELEASE_PER_MINUTE = 200;

/**
 * A step can be held just after its campaign resumed (a container that had not seen the resume yet,
 * or an index that had not caught up when resume looked): each sweep releases held steps of every
 * campaign that is not paused, so none waits more than a minute for a resume it missed.
 */
export async function releaseStrayHolds({ jobs, clock, catalogStore }: DispatchDeps): Promise<number> {
  if (!catalogStore) return 0;
  const [campaigns, paused] = await Promise.all([catalogStore.listCampaigns(), catalogStore.pausedCampaignIds()]);
  const now = isoNow(clock);
  let released = 0;
  for (const campaign of campaigns) {
    if (!paused.includes(campaign.id)) released += await jobs.releaseHeld(campaign.id, now, RELEASE_PER_MINUTE);
  }
  if (released > 0) logger.info('held steps of running campaigns released', { released });
  return released;
}

const MAX_PASSES = 50;

/**
 * Moves every job due by now to the send queue, highest priority first. The message goes first and
 * the job is marked after: a crash in between only means a second message, which the claim turns
 * into a no-op.
 */
export async function dispatchDueJobs(deps: DispatchDeps): Promise<number> {
  const { jobs, queue, clock } = deps;
  await releaseStrayHolds(deps).catch((error: unknown) => logger.warn('held steps not checked this sweep', toErrorContext(error)));
  const handed = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const now = isoNow(clock);
    // A job whose marking failed (it moved on meanwhile) may be read again in this run: hand it over once.
    const due = (await jobs.queryDue(now)).filter((ref) => !handed.has(keyOf(ref)));
    if (due.length === 0) break;
    await queue.enqueue(due.map(({ customerId, jobId, stepId, instanceId }) => ({ customerId, jobId, stepId, instanceId })));
    for (const ref of due) handed.add(keyOf(ref));
    // A job whose marking fails stays pending and is found again: one failure must not stop the sweep,
    // but a request that fails as a whole (throttling, a missing permission) is worth a warning.
    await jobs
      .markQueued(due, now)
      .catch((error: unknown) =>
        logger.warn('due jobs handed over but not marked queued; the sweep hands them over again', toErrorContext(error)),
      );
  }
  return handed.size;
}

const keyOf = (ref: { customerId: string; jobId: string; stepId: string; instanceId: string; dueAt: string }): string =>
  [ref.customerId, ref.jobId, ref.stepId, ref.instanceId, ref.dueAt].join('|');
