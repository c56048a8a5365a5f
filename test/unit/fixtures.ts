import { campaignSchema, type Campaign } from '../../functions/domain/journeys/campaign';
import type { Job } from '../../functions/domain/journeys/job';
import type { ShopEvent } from '../../functions/domain/events/events';
import campaignJson from '../../templates/abandoned-cart/campaign.json';

export const abandonedCart: Campaign = campaignSchema.parse(campaignJson);

export const T0 = '2026-11-22T10:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export function cartEvent(id: string, minutes: number, items = 1, cartId: string | undefined = 'cart-1'): ShopEvent {
  return {
    id,
    type: 'cart.updated',
    customerId: 'c1',
    occurredAt: at(minutes),
    data: {
      cartId,
      cartUrl: 'https://shop.example.com/cart',
      items: Array.from({ length: items }, (_, i) => ({ sku: `S${i}`, name: `Item ${i}`, price: 10, currency: 'EUR', qty: 1 })),
    },
  };
}

export function orderEvent(id: string, minutes: number, cartId?: string): ShopEvent {
  return {
    id,
    type: 'order.placed',
    customerId: 'c1',
    occurredAt: at(minutes),
    data: { orderId: `o-${id}`, cartId, items: [], total: 10, currency: 'EUR' },
  };
}

export function job(overrides: Partial<Job> = {}): Job {
  return {
    customerId: 'c1',
    jobId: 'abandoned-cart#cart-1',
    campaignId: 'abandoned-cart',
    campaignVersion: 1,
    topic: 'cart_reminders',
    journeyKey: 'cart-1',
    instanceId: 'e1',
    stepIndex: 0,
    stepId: 'reminder-1',
    template: 'abandoned-cart',
    priority: 80,
    cartId: 'cart-1',
    anchorAt: T0,
    dueAt: at(60),
    lastEventAt: T0,
    status: 'pending',
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...overrides,
  };
}
