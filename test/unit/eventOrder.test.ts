import { planEventEffects, type CustomerState } from '../../functions/domain/events/eventEffects';
import type { ShopEvent } from '../../functions/domain/events/events';
import { comesAfter } from '../../functions/domain/events/eventOrder';
import { abandonedCart, at, cartEvent, orderEvent } from './fixtures';

/** Applies events one after another as the trigger would: each against the state the ones before left. */
function applyAll(events: ShopEvent[], now = at(1)): CustomerState {
  let state: CustomerState = { jobs: [] };
  for (const event of events) {
    const effects = planEventEffects(event, state, [abandonedCart], now);
    const jobs = new Map(state.jobs.map((j) => [j.jobId, j]));
    for (const change of effects.jobs) jobs.set(change.job.jobId, change.job);
    state = {
      ...state,
      ...(effects.profile ? { profile: { ...effects.profile.next, rev: (state.profile?.rev ?? 0) + 1 } } : {}),
      ...(effects.cart ? { cart: effects.cart } : {}),
      jobs: [...jobs.values()],
    };
  }
  return state;
}

const bothOrders = (a: ShopEvent, b: ShopEvent) => [applyAll([a, b]), applyAll([b, a])] as const;
const T = at(0);
const consent = (id: string, status: 'granted' | 'withdrawn'): ShopEvent => ({
  id,
  type: 'consent.changed',
  customerId: 'c1',
  occurredAt: T,
  data: { topic: 'cart_reminders', status, source: 'checkout', policyVersion: '1' },
});
const upsert = (id: string, firstName: string): ShopEvent => ({
  id,
  type: 'customer.upserted',
  customerId: 'c1',
  occurredAt: T,
  data: { email: 'c1@example.com', firstName, locale: 'en', country: 'PL' },
});
const points = (id: string, tier: string): ShopEvent => ({
  id,
  type: 'loyalty.points_changed',
  customerId: 'c1',
  occurredAt: T,
  data: { points: 10, tier },
});

describe('events of the same instant take effect by event id, whatever order they arrive in', () => {
  it('compares by time, then by id; state without an id loses a tie', () => {
    expect(comesAfter(at(1), 'a', { at: at(0), eventId: 'z' })).toBe(true);
    expect(comesAfter(at(0), 'z', { at: at(1), eventId: 'a' })).toBe(false);
    expect(comesAfter(T, 'b', { at: T, eventId: 'a' })).toBe(true);
    expect(comesAfter(T, 'a', { at: T, eventId: 'b' })).toBe(false);
    expect(comesAfter(T, 'a', { at: T, eventId: 'a' })).toBe(false);
    expect(comesAfter(T, 'a', { at: T })).toBe(true);
    expect(comesAfter(T, 'a', undefined)).toBe(true);
  });

  it('consent: the change with the greater id wins', () => {
    const [ab, ba] = bothOrders(consent('evt-1', 'granted'), consent('evt-2', 'withdrawn'));
    expect(ab.profile?.consent.cart_reminders?.status).toBe('withdrawn');
    expect(ba.profile?.consent.cart_reminders?.status).toBe('withdrawn');
  });

  it('profile attributes, loyalty and the cart likewise', () => {
    for (const [x, y] of [bothOrders(upsert('u-1', 'Ann'), upsert('u-2', 'Bea'))])
      expect([x.profile?.firstName, y.profile?.firstName]).toEqual(['Bea', 'Bea']);
    for (const [x, y] of [bothOrders(points('p-2', 'gold'), points('p-1', 'silver'))])
      expect([x.profile?.loyalty?.tier, y.profile?.loyalty?.tier]).toEqual(['gold', 'gold']);
    const [x, y] = bothOrders(cartEvent('cart-b', 0, 3), cartEvent('cart-a', 0, 1));
    expect([x.cart?.items.length, y.cart?.items.length]).toEqual([3, 3]);
  });

  it('a journey: an order and a cart update of the same instant end the same way in either order', () => {
    const started = cartEvent('cart-0', -10);
    const status = (s: CustomerState) => s.jobs.find((j) => j.campaignId === 'abandoned-cart')?.status;
    const x = applyAll([started, cartEvent('cart-1', 0), orderEvent('order-1', 0, 'cart-1')]);
    const y = applyAll([started, orderEvent('order-1', 0, 'cart-1'), cartEvent('cart-1', 0)]);
    expect([status(x), status(y)]).toEqual(['cancelled', 'cancelled']);
    // And the other way round when the cart update's id is the greater: it restarts the journey either way.
    const p = applyAll([started, cartEvent('z-cart', 0), orderEvent('order-1', 0, 'cart-1')]);
    const q = applyAll([started, orderEvent('order-1', 0, 'cart-1'), cartEvent('z-cart', 0)]);
    expect([status(p), status(q)]).toEqual(['pending', 'pending']);
  });
});
