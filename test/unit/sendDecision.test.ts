import type { Cart, Profile } from '../../functions/domain/customers/profile';
import { decidePacing, decideSend, type SendFacts } from '../../functions/domain/sending/sendDecision';
import { abandonedCart, at, job } from './fixtures';

const profile: Profile = {
  customerId: 'c1',
  email: 'ada@example.com',
  firstName: 'Ada',
  locale: 'en',
  consent: { cart_reminders: { status: 'granted', at: at(-100), source: 'checkout', policyVersion: '1' } },
  updatedAt: at(-100),
};
const cart: Cart = {
  customerId: 'c1',
  cartKey: 'cart-1',
  items: [{ sku: 's', name: 'n', price: 1, currency: 'EUR', qty: 1 }],
  cartUrl: 'https://x.example',
  updatedAt: at(0),
};
const facts = (overrides: Partial<SendFacts> = {}): SendFacts => ({
  job: job(),
  campaign: abandonedCart,
  profile,
  cart,
  now: at(60),
  ...overrides,
});

describe('the send-time gate', () => {
  it('sends a due, live job to a consenting customer with a cart', () => {
    expect(decideSend(facts())).toEqual({ outcome: 'send' });
  });

  it.each([
    ['no consent record', { profile: { ...profile, consent: {} } }, 'no-consent'],
    [
      'consent withdrawn',
      {
        profile: { ...profile, consent: { cart_reminders: { status: 'withdrawn' as const, at: at(59), source: 'x', policyVersion: '1' } } },
      },
      'no-consent',
    ],
    ['no profile', { profile: undefined }, 'missing-data'],
    ['no email', { profile: { ...profile, email: undefined } }, 'missing-data'],
    ['cart emptied since', { cart: { ...cart, items: [] } }, 'cancelled'],
    ['campaign removed', { campaign: undefined }, 'cancelled'],
  ])('skips with one reason: %s', (_label, overrides, reason) => {
    expect(decideSend(facts(overrides))).toMatchObject({ outcome: 'skip', reason });
  });

  it.each([
    ['already sent', { job: job({ status: 'sent' }) }, 'not-live'],
    ['moved later', { job: job({ dueAt: at(90) }) }, 'not-due'],
    ['message for an older step', { expectedStepId: 'reminder-0' }, 'stale-message'],
    ['message for an older journey', { expectedInstanceId: 'e0' }, 'stale-message'],
  ])('ignores a delivery that is no longer current: %s', (_label, overrides, detail) => {
    expect(decideSend(facts(overrides))).toEqual({ outcome: 'ignore', detail });
  });
});

describe('pacing after the gate', () => {
  const campaign = abandonedCart;
  const now = at(60);
  const allowed = { allowed: true as const, remainingAfter: 1 };

  it('defers to the end of quiet hours before looking at caps', () => {
    const until = new Date(Date.parse(at(600)));
    expect(decidePacing({ campaign, now, quietUntil: until, cap: { allowed: false, rule: 'global:2/PT24H', freeAt: at(900) } })).toEqual({
      outcome: 'defer',
      until: until.toISOString(),
      reason: 'quiet-hours-deferred',
      detail: 'quiet-hours',
    });
  });

  it('skips or defers a capped send as the campaign says', () => {
    const cap = { allowed: false as const, rule: 'global:2/PT24H', freeAt: at(900) };
    expect(decidePacing({ campaign, now, quietUntil: null, cap })).toEqual({ outcome: 'skip', reason: 'capped', detail: 'global:2/PT24H' });
    expect(decidePacing({ campaign: { ...campaign, whenCapped: 'defer' }, now, quietUntil: null, cap })).toEqual({
      outcome: 'defer',
      until: at(900),
      reason: 'capped',
      detail: 'global:2/PT24H',
    });
  });

  it('leaves the last slot to a higher-priority send, and only the last', () => {
    const rival = job({ campaignId: 'vip', priority: 95 });
    expect(decidePacing({ campaign, now, quietUntil: null, cap: { allowed: true, remainingAfter: 0 }, higherPriorityDue: rival })).toEqual({
      outcome: 'skip',
      reason: 'capped',
      detail: 'yielded-to:vip',
    });
    expect(decidePacing({ campaign, now, quietUntil: null, cap: allowed, higherPriorityDue: rival })).toEqual({ outcome: 'go' });
  });

  it('closes a claim older than the claim timeout as an unknown outcome', () => {
    expect(decideSend(facts({ job: job({ status: 'sending', claimedAt: at(0) }), now: at(16) }))).toEqual({ outcome: 'expire-claim' });
    expect(decideSend(facts({ job: job({ status: 'sending', claimedAt: at(0) }), now: at(14) }))).toEqual({
      outcome: 'ignore',
      detail: 'not-live',
    });
  });

  it('sends transactional mail without marketing consent', () => {
    const transactional = { ...abandonedCart, kind: 'transactional' as const, topic: 'transactional' as const };
    expect(
      decideSend(facts({ job: job({ topic: 'transactional' }), campaign: transactional, profile: { ...profile, consent: {} } })),
    ).toEqual({ outcome: 'send' });
  });
});
