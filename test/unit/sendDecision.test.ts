import type { Cart, Profile } from '../../functions/domain/profile';
import { decideSend, type SendFacts } from '../../functions/domain/sendDecision';
import { abandonedCart, at, job } from './fixtures';

const profile: Profile = {
  customerId: 'c1',
  email: 'ada@example.com',
  firstName: 'Ada',
  locale: 'en',
  consent: { cart_reminders: { status: 'granted', at: at(-100), source: 'checkout', policyVersion: '1' } },
  updatedAt: at(-100),
};
const cart: Cart = { customerId: 'c1', cartKey: 'cart-1', items: [{ sku: 's', name: 'n', price: 1, currency: 'EUR', qty: 1 }], cartUrl: 'https://x.example', updatedAt: at(0) };
const facts = (overrides: Partial<SendFacts> = {}): SendFacts => ({ job: job(), campaign: abandonedCart, profile, cart, now: at(60), ...overrides });

describe('the send-time gate', () => {
  it('sends a due, live job to a consenting customer with a cart', () => {
    expect(decideSend(facts())).toEqual({ outcome: 'send' });
  });

  it.each([
    ['no consent record', { profile: { ...profile, consent: {} } }, 'no-consent'],
    ['consent withdrawn', { profile: { ...profile, consent: { cart_reminders: { status: 'withdrawn' as const, at: at(59), source: 'x', policyVersion: '1' } } } }, 'no-consent'],
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
