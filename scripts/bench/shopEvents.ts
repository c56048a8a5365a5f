import type { LocalSystem } from '../../functions/local/system';
import { chunksOf } from '../../functions/shared/chunks';

/** The benchmark's shop: customers who agreed to cart reminders, then one cart each, posted as a shop would. */

/** A customer of the benchmark's shop as it first arrives: a profile, then consent to one topic. */
export function customerEvents(id: string, i: number, now: string, consent: { topic: string; source: string }): unknown[] {
  return [
    {
      id: `${id}-p`,
      type: 'customer.upserted',
      customerId: id,
      occurredAt: now,
      data: {
        email: `${id}@example.com`,
        firstName: `Name${i}`,
        locale: ['en', 'pl', 'ru'][i % 3],
        timezone: 'Europe/Warsaw',
        country: 'PL',
      },
    },
    {
      id: `${id}-c`,
      type: 'consent.changed',
      customerId: id,
      occurredAt: now,
      data: { ...consent, status: 'granted', policyVersion: '1' },
    },
  ];
}

export function consentedCustomers(ids: readonly string[], now: string): unknown[] {
  return ids.flatMap((id, i) => customerEvents(id, i, now, { topic: 'cart_reminders', source: 'checkout' }));
}

export function carts(ids: readonly string[], at: string): unknown[] {
  return ids.map((id, i) => ({
    id: `${id}-cart`,
    type: 'cart.updated',
    customerId: id,
    occurredAt: at,
    data: {
      cartId: `cart-${i}`,
      cartUrl: 'https://shop.example.com/cart',
      items: [{ sku: 'MUG', name: 'Mug', price: 12.5, currency: 'EUR', qty: 2 }],
    },
  }));
}

/** POST /events in batches of 100, `parallel` requests in flight; any answer but 202 stops the run. */
export async function postInBatches(system: Pick<LocalSystem, 'url' | 'apiKey'>, events: readonly unknown[], parallel = 4): Promise<void> {
  const batches = chunksOf([...events], 100);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < batches.length) {
        const r = await fetch(`${system.url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
          body: JSON.stringify({ events: batches[next++]! }),
        });
        if (r.status !== 202) throw new Error(`ingest answered ${r.status}: ${await r.text()}`);
      }
    }),
  );
}
