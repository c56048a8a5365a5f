import { planEventEffects } from '../../functions/domain/events/eventEffects';
import type { ShopEvent } from '../../functions/domain/events/events';
import { abandonedCart, at } from './fixtures';

const consent = (id: string, minutes: number, status: 'granted' | 'withdrawn'): ShopEvent => ({
  id,
  type: 'consent.changed',
  customerId: 'c1',
  occurredAt: at(minutes),
  data: { topic: 'cart_reminders', status, source: 'preference_center', policyVersion: 'v2', textShown: 'Remind me' },
});

describe('what an event changes', () => {
  it('records every consent change in the ledger, with source, policy and the text shown', () => {
    const effects = planEventEffects(consent('e1', 0, 'granted'), { jobs: [] }, [], at(1));
    expect(effects.consentRecord).toMatchObject({
      topic: 'cart_reminders',
      status: 'granted',
      at: at(0),
      source: 'preference_center',
      policyVersion: 'v2',
      textShown: 'Remind me',
      eventId: 'e1',
    });
    expect(effects.profile?.next.consent.cart_reminders?.status).toBe('granted');
  });

  it('derives consent from the newest change by time given, whatever order they arrive in', () => {
    const profile = {
      customerId: 'c1',
      locale: 'en' as const,
      updatedAt: at(5),
      rev: 3,
      consent: { cart_reminders: { status: 'withdrawn' as const, at: at(5), source: 'x', policyVersion: 'v2' } },
    };
    const late = planEventEffects(consent('e0', 0, 'granted'), { profile, jobs: [] }, [], at(6));
    expect(late.consentRecord).toBeDefined();
    expect(late.profile).toBeUndefined();
  });

  it('keeps only what later decisions need from an order', () => {
    const effects = planEventEffects(
      {
        id: 'o',
        type: 'order.placed',
        customerId: 'c1',
        occurredAt: at(0),
        data: {
          orderId: 'o1',
          items: [{ sku: 'A', name: 'Mug', price: 5, currency: 'EUR', qty: 1, imageUrl: 'https://x.example/a.png' }],
          total: 5,
          currency: 'EUR',
        },
      },
      { jobs: [] },
      [abandonedCart],
      at(0),
    );
    expect(effects.order?.items).toEqual([{ sku: 'A', qty: 1, price: 5 }]);
  });

  it('ignores a cart update older than the stored cart', () => {
    const cart = { customerId: 'c1', cartKey: 'cart-1', items: [], cartUrl: 'https://x.example', updatedAt: at(10) };
    const effects = planEventEffects(
      {
        id: 'c',
        type: 'cart.updated',
        customerId: 'c1',
        occurredAt: at(5),
        data: { cartId: 'cart-1', cartUrl: 'https://x.example', items: [] },
      },
      { cart, jobs: [] },
      [abandonedCart],
      at(11),
    );
    expect(effects.cart).toBeUndefined();
  });
});
