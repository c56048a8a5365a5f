import fc from 'fast-check';
import {
  capRulesFor,
  DEFAULT_CAP_RULES,
  evaluateCap,
  releaseSlot,
  takeSlot,
  type CapRule,
  type CapState,
} from '../../functions/domain/pacing/frequencyCap';

const HOUR = 3600_000;
const T0 = Date.parse('2026-11-22T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Brute force: how many slots fall in the rolling window ending at each slot. */
function maxInAnyWindow(slots: number[], windowMs: number): number {
  return Math.max(0, ...slots.map((end) => slots.filter((t) => t > end - windowMs && t <= end).length));
}

describe('frequency caps', () => {
  it('never lets more sends through than any rule allows, in any rolling window (property)', () => {
    const rules = fc.array(
      fc.record({ count: fc.integer({ min: 1, max: 4 }), windowMs: fc.integer({ min: 1, max: 96 }).map((h) => h * HOUR) }),
      { minLength: 1, maxLength: 3 },
    );
    const attempts = fc.array(fc.integer({ min: 0, max: 20 * 24 * 60 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(rules, attempts, (ruleSpecs, minutes) => {
        const capRules: CapRule[] = ruleSpecs.map((r, i) => ({ ...r, label: `r${i}` }));
        let state: CapState = { slots: [], rev: 0 };
        const sent: number[] = [];
        for (const [i, m] of [...minutes].sort((a, b) => a - b).entries()) {
          const now = T0 + m * 60_000;
          const decision = evaluateCap({ state, rules: capRules, campaignId: 'c', now: iso(now) });
          if (decision.allowed) {
            state = { slots: takeSlot(state, { at: iso(now), campaignId: 'c', sendKey: `k${i}` }), rev: (state.rev ?? 0) + 1 };
            sent.push(now);
          } else {
            expect(Date.parse(decision.freeAt)).toBeGreaterThan(now);
          }
        }
        for (const rule of capRules) expect(maxInAnyWindow(sent, rule.windowMs)).toBeLessThanOrEqual(rule.count);
      }),
      { numRuns: 300 },
    );
  });

  it('a capped send is allowed again exactly at its freeAt (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 * 24 * 60 }), { minLength: 5, maxLength: 20 }), (minutes) => {
        const slots = minutes.map((m, i) => ({ at: iso(T0 + m * 60_000), campaignId: 'c', sendKey: `k${i}` }));
        const now = iso(T0 + 7 * 24 * HOUR);
        const decision = evaluateCap({ state: { slots, rev: 1 }, rules: DEFAULT_CAP_RULES, campaignId: 'c', now });
        if (decision.allowed) return;
        const before = evaluateCap({
          state: { slots, rev: 1 },
          rules: DEFAULT_CAP_RULES,
          campaignId: 'c',
          now: iso(Date.parse(decision.freeAt) - 1),
        });
        const at = evaluateCap({ state: { slots, rev: 1 }, rules: DEFAULT_CAP_RULES, campaignId: 'c', now: decision.freeAt });
        expect(before.allowed).toBe(false);
        expect(at.allowed).toBe(true);
      }),
    );
  });

  it('defaults to 2 in 24 hours and 5 in 7 days', () => {
    const slots = [0, 1].map((h) => ({ at: iso(T0 + h * HOUR), campaignId: 'a', sendKey: `k${h}` }));
    const third = evaluateCap({ state: { slots, rev: 1 }, rules: DEFAULT_CAP_RULES, campaignId: 'b', now: iso(T0 + 2 * HOUR) });
    expect(third).toEqual({ allowed: false, rule: 'global:2/PT24H', freeAt: iso(T0 + 24 * HOUR) });
    const week = [0, 25, 50, 75, 100].map((h) => ({ at: iso(T0 + h * HOUR), campaignId: 'a', sendKey: `w${h}` }));
    expect(
      evaluateCap({ state: { slots: week, rev: 1 }, rules: DEFAULT_CAP_RULES, campaignId: 'a', now: iso(T0 + 130 * HOUR) }),
    ).toMatchObject({ allowed: false, rule: 'global:5/P7D' });
  });

  it('applies the customer’s own choice and the campaign’s minimum interval when stricter', () => {
    const slots = [{ at: iso(T0), campaignId: 'cart', sendKey: 'k' }];
    const weekly = capRulesFor(DEFAULT_CAP_RULES, 'weekly');
    expect(evaluateCap({ state: { slots, rev: 1 }, rules: weekly, campaignId: 'x', now: iso(T0 + 48 * HOUR) })).toMatchObject({
      allowed: false,
      rule: 'preference:weekly',
    });
    expect(
      evaluateCap({
        state: { slots, rev: 1 },
        rules: capRulesFor(DEFAULT_CAP_RULES, 'monthly'),
        campaignId: 'x',
        now: iso(T0 + 8 * 24 * HOUR),
      }),
    ).toMatchObject({ rule: 'preference:monthly' });
    expect(
      evaluateCap({
        state: { slots, rev: 1 },
        rules: DEFAULT_CAP_RULES,
        campaignId: 'cart',
        minIntervalMs: 72 * HOUR,
        now: iso(T0 + 48 * HOUR),
      }),
    ).toEqual({
      allowed: false,
      rule: 'campaign:cart',
      freeAt: iso(T0 + 72 * HOUR),
    });
    expect(
      evaluateCap({
        state: { slots, rev: 1 },
        rules: DEFAULT_CAP_RULES,
        campaignId: 'other',
        minIntervalMs: 72 * HOUR,
        now: iso(T0 + 48 * HOUR),
      }).allowed,
    ).toBe(true);
  });

  it('says how many slots remain, and gives a slot back when the email did not go out', () => {
    const first = evaluateCap({ state: { slots: [], rev: null }, rules: DEFAULT_CAP_RULES, campaignId: 'a', now: iso(T0) });
    expect(first).toEqual({ allowed: true, remainingAfter: 1 });
    const taken = takeSlot({ slots: [], rev: null }, { at: iso(T0), campaignId: 'a', sendKey: 'k1' });
    expect(releaseSlot({ slots: taken, rev: 1 }, 'k1')).toEqual([]);
  });

  it('forgets slots older than any window can see', () => {
    const old = { at: iso(T0 - 40 * 24 * HOUR), campaignId: 'a', sendKey: 'old' };
    expect(takeSlot({ slots: [old], rev: 1 }, { at: iso(T0), campaignId: 'a', sendKey: 'new' }).map((s) => s.sendKey)).toEqual(['new']);
  });
});

describe('frequency caps and concurrent clocks', () => {
  it('counts a slot taken by a send whose clock read was a moment later', () => {
    const slots = [
      { at: iso(T0 + 5), campaignId: 'a', sendKey: 'k1' },
      { at: iso(T0 + 9), campaignId: 'a', sendKey: 'k2' },
    ];
    expect(evaluateCap({ state: { slots, rev: 2 }, rules: DEFAULT_CAP_RULES, campaignId: 'a', now: iso(T0) }).allowed).toBe(false);
  });
});
