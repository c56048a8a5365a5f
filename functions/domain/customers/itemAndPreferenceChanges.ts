import type { CartItemChanged, ShopEvent } from '../events/events';
import { DEFAULT_PERSONALIZATION, type Cart, type PreferenceRecord, type Profile } from './profile';

/** Two changes that arrive as deltas: one cart item (Segment), and the customer's choices (preferences.changed). */

const PREFERENCE_DEFAULTS = { frequency: 'any', personalization: DEFAULT_PERSONALIZATION } as const;

/** What a preferences.changed event changes: only fields whose value differs from the current one. */
export function preferenceChanges(
  event: Extract<ShopEvent, { type: 'preferences.changed' }>,
  profile: Profile,
  now: string,
): PreferenceRecord[] {
  const wanted = { frequency: event.data.frequency, personalization: event.data.personalizationLevel };
  const records: PreferenceRecord[] = [];
  for (const field of ['frequency', 'personalization'] as const) {
    const to = wanted[field];
    const from = profile[field] ?? PREFERENCE_DEFAULTS[field];
    if (to === undefined || to === from) continue;
    records.push({
      customerId: event.customerId,
      field,
      from,
      to,
      at: event.occurredAt > now ? now : event.occurredAt,
      source: 'shop',
      id: `${event.id}#${field}`,
    });
  }
  return records;
}

/**
 * An item added to or removed from the stored cart, as the whole cart it leaves: the same quantity
 * of a sku adds up, a removal takes the sku out. Everything downstream sees a cart.updated.
 */
export function cartAfterChange(event: CartItemChanged, stored: Cart | undefined): Extract<ShopEvent, { type: 'cart.updated' }> {
  const { cartId, cartUrl, change, item } = event.data;
  const items = (stored?.items ?? []).map((i) => ({ ...i }));
  const existing = items.find((i) => i.sku === item.sku);
  if (change === 'remove') {
    const remaining = items.filter((i) => i.sku !== item.sku);
    return {
      id: event.id,
      type: 'cart.updated',
      customerId: event.customerId,
      occurredAt: event.occurredAt,
      data: { cartId, cartUrl: stored?.cartUrl ?? cartUrl, items: remaining },
    };
  }
  if (existing) existing.qty = Math.min(10_000, existing.qty + item.qty);
  else items.push(item);
  return {
    id: event.id,
    type: 'cart.updated',
    customerId: event.customerId,
    occurredAt: event.occurredAt,
    data: { cartId, cartUrl: stored?.cartUrl ?? cartUrl, items },
  };
}
