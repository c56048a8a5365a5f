import type { JobStore } from '../adapters/dynamo/jobStore';
import type { SendQueue } from '../adapters/queue/sendQueue';
import { isoNow, type Clock } from '../adapters/clock';

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
    // A job whose marking fails stays pending and is found again: one failure must not stop the sweep.
    await jobs.markQueued(due, now);
  }
  return handed.size;
}

const keyOf = (ref: { customerId: string; jobId: string; stepId: string; instanceId: string; dueAt: string }): string =>
  [ref.customerId, ref.jobId, ref.stepId, ref.instanceId, ref.dueAt].join('|');
