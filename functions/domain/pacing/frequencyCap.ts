/**
 * Frequency caps over rolling windows (not calendar days: a rolling window cannot be gamed by the
 * midnight boundary and needs no time zone). The state is a short per-customer list of recent
 * marketing sends; the caller writes it back conditionally, which makes the cap atomic.
 */

export interface CapRule {
  count: number;
  windowMs: number;
  /** Names the rule in skip details: "global:2/PT24H", "preference:weekly". */
  label: string;
}

export type FrequencyChoice = 'any' | 'weekly' | 'monthly';

export interface SendSlot {
  at: string;
  campaignId: string;
  /** The send key of the job that took the slot, so a failed send can give it back. */
  sendKey: string;
}

export interface CapState {
  slots: SendSlot[];
  /** Optimistic-concurrency counter of the per-customer cap item; null when it does not exist yet. */
  rev: number | null;
}

export const EMPTY_CAP_STATE: CapState = { slots: [], rev: null };

const DAY_MS = 24 * 3600 * 1000;
/** Slots older than this can no longer count toward any rule (the monthly choice is the longest). */
export const CAP_HORIZON_MS = 31 * DAY_MS;

export const DEFAULT_CAP_RULES: CapRule[] = [
  { count: 2, windowMs: DAY_MS, label: 'global:2/PT24H' },
  { count: 5, windowMs: 7 * DAY_MS, label: 'global:5/P7D' },
];

/** The shop's rules plus the customer's own choice; whichever is strictest decides. */
export function capRulesFor(shopRules: CapRule[], choice: FrequencyChoice | undefined): CapRule[] {
  switch (choice) {
    case 'weekly':
      return [...shopRules, { count: 1, windowMs: 7 * DAY_MS, label: 'preference:weekly' }];
    case 'monthly':
      return [...shopRules, { count: 1, windowMs: 30 * DAY_MS, label: 'preference:monthly' }];
    default:
      return shopRules;
  }
}

export type CapDecision =
  | { allowed: true; /** Slots left in the tightest rule after this send. */ remainingAfter: number }
  | { allowed: false; rule: string; freeAt: string };

export interface CapQuestion {
  state: CapState;
  rules: CapRule[];
  campaignId: string;
  /** The campaign's own minimum time between two of its emails to one customer. */
  minIntervalMs?: number;
  now: string;
}

export function evaluateCap({ state, rules, campaignId, minIntervalMs, now }: CapQuestion): CapDecision {
  const nowMs = Date.parse(now);
  // Slots a hair "in the future" count too: a concurrent send whose clock read came later took them.
  const times = state.slots.map((s) => Date.parse(s.at)).sort((a, b) => b - a);
  let blockedUntil = -Infinity;
  let blockingRule = '';
  let remainingAfter = Infinity;
  for (const rule of rules) {
    const inWindow = times.filter((t) => t > nowMs - rule.windowMs).length;
    if (inWindow >= rule.count) {
      // The window frees when the count-th most recent send leaves it.
      const freeAt = times[rule.count - 1]! + rule.windowMs;
      if (freeAt > blockedUntil) [blockedUntil, blockingRule] = [freeAt, rule.label];
    } else {
      remainingAfter = Math.min(remainingAfter, rule.count - inWindow - 1);
    }
  }
  if (minIntervalMs) {
    const last = state.slots
      .filter((s) => s.campaignId === campaignId)
      .map((s) => Date.parse(s.at))
      .sort((a, b) => b - a)[0];
    if (last !== undefined && nowMs - last < minIntervalMs && last + minIntervalMs > blockedUntil) {
      [blockedUntil, blockingRule] = [last + minIntervalMs, `campaign:${campaignId}`];
    }
  }
  if (blockedUntil > nowMs) return { allowed: false, rule: blockingRule, freeAt: new Date(blockedUntil).toISOString() };
  return { allowed: true, remainingAfter: Number.isFinite(remainingAfter) ? remainingAfter : Number.MAX_SAFE_INTEGER };
}

/** Takes a slot; forgets slots that can no longer count toward any rule. */
export function takeSlot(state: CapState, slot: SendSlot): SendSlot[] {
  const horizon = Date.parse(slot.at) - CAP_HORIZON_MS;
  return [...state.slots.filter((s) => Date.parse(s.at) > horizon && s.sendKey !== slot.sendKey), slot];
}

/** Gives back the slot a send took when the email did not go out after all. */
export function releaseSlot(state: CapState, sendKey: string): SendSlot[] {
  return state.slots.filter((s) => s.sendKey !== sendKey);
}
