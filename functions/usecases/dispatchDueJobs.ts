import type { CatalogRecords } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Jobs } from './ports/jobs';
import type { SendQueue } from './ports/queues';
import { toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';
import { chunksOf } from '../shared/chunks';

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

/** A job handed over this long ago and still where it was in the due index is handed over again. */
export const LEASE_MS = 10 * 60 * 1000;

/**
 * How far back each sweep reads before where the last one stopped: a job written just before a sweep
 * began may reach the index after the sweep's query (DynamoDB's index is eventually consistent).
 */
export const OVERLAP_MS = 5_000;

/** Handed over chunk by chunk, so one huge backlog is not held in flight at once. */
const CHUNK = 800;

/**
 * What one sweep tells the next in the same container: the jobs it handed over that the next one's
 * overlap will read again. Without it (a fresh container) the overlap's jobs are handed over twice,
 * which the claim turns into a no-op.
 */
export class SweepMemory {
  handed = new Map<string, string>();
}

/**
 * Moves every job that came due since the last sweep to the send queue, highest priority first, and
 * again those that have waited a lease since they were handed over (a message lost or dead-lettered,
 * a claim not closed). The sweep reads the due index from where the last one stopped (its cursor,
 * less a short overlap) instead of everything due, so a job handed over keeps its place in the index
 * and marking it costs no index write: its status only. A job still in place a lease on is read by the
 * second window and has its lease renewed (its place moves on), and so every lease after. The message
 * goes first and the job is marked after: a crash in between only means a second message, which the
 * claim turns into a no-op; a sweep that fails before saving its cursor is read again by the next.
 */
export async function dispatchDueJobs(deps: DispatchDeps & { memory?: SweepMemory }): Promise<number> {
  const { jobs, queue, clock } = deps;
  await releaseStrayHolds(deps).catch((error: unknown) => logger.warn('held steps not checked this sweep', toErrorContext(error)));
  const now = isoNow(clock);
  const cursor = await jobs.sweepCursor();
  // No cursor yet, or one ahead of this clock (another deployment's, a clock set anew): everything due.
  const from = cursor !== undefined && cursor <= now ? cursor : undefined;
  const [fresh, waiting] = await Promise.all([
    jobs.dueBetween(from && minusMs(from, OVERLAP_MS), now),
    from ? jobs.dueBetween(minusMs(from, LEASE_MS + OVERLAP_MS), minusMs(now, LEASE_MS)) : Promise.resolve([]),
  ]);
  const memory = deps.memory?.handed ?? new Map<string, string>();
  const seen = new Set<string>();
  const due = [...fresh, ...waiting].filter((ref) => {
    const key = keyOf(ref);
    if (seen.has(key) || memory.has(key)) return false;
    seen.add(key);
    return true;
  });
  const leaseEnd = minusMs(now, LEASE_MS);
  for (const chunk of chunksOf(due, CHUNK)) {
    await queue.enqueue(chunk.map(({ customerId, jobId, stepId, instanceId }) => ({ customerId, jobId, stepId, instanceId })));
    // A job whose marking fails stays where it is and is found again a lease on: one failure must not
    // stop the sweep, but a request that fails as a whole (throttling, a permission) is worth a warning.
    const renew = chunk.filter((ref) => (ref.sweepAt ?? ref.dueAt) <= leaseEnd);
    const mark = chunk.filter((ref) => (ref.sweepAt ?? ref.dueAt) > leaseEnd);
    await Promise.all([
      jobs
        .markQueued(mark, now)
        .catch((error: unknown) => logger.warn('due jobs handed over but not marked queued', toErrorContext(error))),
      jobs
        .renewLeases(renew, now)
        .catch((error: unknown) => logger.warn('due jobs handed over again, lease not renewed', toErrorContext(error))),
    ]);
  }
  // What the next sweep's overlap reads again, and was handed over here (or before, within it).
  const overlap = minusMs(now, OVERLAP_MS);
  const next = new Map([...memory].filter(([, at]) => at > overlap));
  for (const ref of due) if ((ref.sweepAt ?? ref.dueAt) > overlap) next.set(keyOf(ref), ref.sweepAt ?? ref.dueAt);
  if (deps.memory) deps.memory.handed = next;
  await jobs.saveSweepCursor(now);
  return due.length;
}

const minusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) - ms).toISOString();

const keyOf = (ref: { customerId: string; jobId: string; stepId: string; instanceId: string; dueAt: string; sweepAt?: string }): string =>
  [ref.customerId, ref.jobId, ref.stepId, ref.instanceId, ref.dueAt, ref.sweepAt].join('|');
