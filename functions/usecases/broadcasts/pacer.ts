/**
 * A token bucket: `take(n)` resolves once n sends fit in the rate. Wall time, not the application
 * clock: a send rate is about SES's real seconds. Tests pass their own `now` and `sleep`.
 */
export interface Pacer {
  take(n: number): Promise<void>;
}

export const UNPACED: Pacer = { take: async () => undefined };

/** Up to one second's worth may go at once, then `perSecond`. */
export function tokenBucket(
  perSecond: number,
  time: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): Pacer {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return UNPACED;
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let at = time.now();
  return {
    async take(n) {
      let wanted = n;
      while (wanted > 0) {
        const now = time.now();
        tokens = Math.min(capacity, tokens + ((now - at) / 1000) * perSecond);
        at = now;
        const taken = Math.min(wanted, Math.floor(tokens));
        tokens -= taken;
        wanted -= taken;
        if (wanted > 0) await time.sleep(Math.ceil(((Math.min(wanted, capacity) - tokens) / perSecond) * 1000));
      }
    },
  };
}

/**
 * The rate each of a wave's `parts` workers keeps: the broadcast's throttle, never above the account's
 * SES maximum send rate, shared among the parts. Undefined: no limit (locally, without either).
 */
export function ratePerPart(throttlePerSecond: number | undefined, sesMaxSendRate: number | undefined, parts: number): number | undefined {
  const limits = [throttlePerSecond, sesMaxSendRate].filter((r): r is number => r !== undefined && r > 0);
  return limits.length === 0 ? undefined : Math.min(...limits) / parts;
}
