import type { JobStore } from '../adapters/dynamo/jobStore';
import type { SendQueue } from '../adapters/queue/sendQueue';
import { isoNow, type Clock } from '../adapters/clock';
import { toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';

export interface DispatchDeps {
  jobs: JobStore;
  queue: SendQueue;
  clock: Clock;
}

const MAX_PASSES = 50;

/**
 * Moves every job due by now to the send queue, highest priority first. The message goes first and
 * the job is marked after: a crash in between only means a second message, which the claim turns
 * into a no-op.
 */
export async function dispatchDueJobs({ jobs, queue, clock }: DispatchDeps): Promise<number> {
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
    await jobs.markQueued(due, now).catch((error: unknown) => logger.warn('due jobs handed over but not marked queued; the sweep hands them over again', toErrorContext(error)));
  }
  return handed.size;
}

const keyOf = (ref: { customerId: string; jobId: string; stepId: string; instanceId: string; dueAt: string }): string =>
  [ref.customerId, ref.jobId, ref.stepId, ref.instanceId, ref.dueAt].join('|');
