/**
 * The one retry policy of what the SDK does not retry itself (docs/architecture.md#retries). Transient
 * request failures — throttling, 5xx, the network — are the SDK clients' own job (adapters/awsClients.ts:
 * standard mode, 3 attempts, exponential backoff with full jitter). What a successful request leaves
 * undone is ours:
 * - the leftovers of a batch call (BatchGetItem's unprocessed keys, BatchWriteItem's unprocessed items,
 *   PutEvents' and SendMessageBatch's failed entries): sent again until none is left;
 * - an optimistic write that lost to a concurrent writer: read again and decided again.
 * Both wait a random time in [0, min(cap, base · 2^attempt)) between tries ("full jitter"), so writers
 * that collided do not collide again in step.
 */
import { ConcurrentUpdateError } from './errors';

export interface RetryBudget {
  /** Tries in all, the first included. */
  tries: number;
  baseMs: number;
  capMs: number;
}

/** Leftovers of a batch call: DynamoDB and SQS hand back what they could not take under load. */
export const LEFTOVERS: RetryBudget = { tries: 8, baseMs: 25, capMs: 1000 };

/** A re-read after losing an optimistic write: the winner is done in milliseconds. */
export const REREAD: RetryBudget = { tries: 8, baseMs: 10, capMs: 200 };

export const jitteredWait = (attempt: number, budget: RetryBudget): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(budget.capMs, budget.baseMs * 2 ** attempt)));

/**
 * Sends a batch request, then what it left over, until nothing is: `send` answers the part the service
 * did not process (an empty list: all done). Answers what is still left when the budget runs out (empty:
 * all done), for the caller to refuse in its own words.
 */
export async function untilAllProcessed<T>(
  items: readonly T[],
  send: (items: readonly T[]) => Promise<readonly T[]>,
  budget: RetryBudget = LEFTOVERS,
): Promise<readonly T[]> {
  let left = items;
  for (let attempt = 0; left.length > 0 && attempt < budget.tries; attempt++) {
    if (attempt > 0) await jitteredWait(attempt, budget);
    left = await send(left);
  }
  return left;
}

/** What a try of an optimistic write answers when a concurrent writer won: read again and decide again. */
export const LOST_RACE = Symbol('lost race');

/**
 * Reads, decides and writes conditionally while a concurrent writer wins; `attempt` answers LOST_RACE
 * for a lost condition. Throws ConcurrentUpdateError naming `what` when the budget runs out.
 */
export async function rereadingOnConflict<T>(
  attempt: (n: number) => Promise<T | typeof LOST_RACE>,
  what: string,
  budget: RetryBudget = REREAD,
): Promise<T> {
  for (let n = 0; n < budget.tries; n++) {
    if (n > 0) await jitteredWait(n, budget);
    const result = await attempt(n);
    if (result !== LOST_RACE) return result;
  }
  throw new ConcurrentUpdateError(what);
}
