import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { ApplyResult, Customers } from './ports/customers';
import type { Products } from './ports/products';
import { cartAfterChange, cartKeyOf, planEventEffects } from '../domain/events/eventEffects';
import type { BusEvent, ShopEvent } from '../domain/events/events';
import { ConcurrentUpdateError, toErrorContext } from '../shared/errors';
import { logger } from '../shared/logger';
import { cancellationCount, orderCounts, type Count } from '../domain/results/counters';
import type { Campaign } from '../domain/journeys/campaign';
import type { CustomerState, EventEffects } from '../domain/events/eventEffects';
import { countQuietly, type ResultsRecorder } from './countResults';
import { LOST_RACE, rereadingOnConflict } from '../shared/retry';
import type { SegmentMembershipPort } from './segmentMembership';

export interface ApplyShopEventDeps {
  customers: Customers;
  /** Product facts for recommendations; updated after the event applies, best effort. */
  products?: Products;
  catalog: Catalog;
  clock: Clock;
  /** Salted hash of an address, to recognize one that was erased or suppressed (absent: neither is checked). */
  addressHash?: (address: string) => Promise<string>;
  /** Campaign results: journeys cancelled by the event, and what an order converts. */
  stats?: ResultsRecorder;
  /** Whether the customer is in the segments that campaigns' triggers name (`trigger.segment`). */
  segments?: SegmentMembershipPort;
}

/**
 * Applies one shop event: read the customer's state, decide (pure), write everything with the event's
 * receipt in one transaction. A concurrent writer makes the transaction fail; we read again and redecide
 * (shared/retry.ts).
 */
export async function applyShopEvent(received: BusEvent, deps: ApplyShopEventDeps): Promise<ApplyResult> {
  const { customers, catalog, clock } = deps;
  const campaigns = await catalog.campaigns();
  // Orders are attributed to broadcasts' emails too, and count for their lift.
  const measured = [...campaigns, ...(await catalog.broadcastCampaigns())];
  const hasCart = received.type === 'cart.updated' || received.type === 'cart.item_changed';
  const refs = {
    cartKey: hasCart ? cartKeyOf(received.data.cartId) : undefined,
    orderId: received.type === 'order.placed' ? received.data.orderId : undefined,
    views: received.type === 'product.viewed',
  };
  return rereadingOnConflict(async () => {
    const now = isoNow(clock);
    const state = await customers.loadState(received.customerId, refs, now);
    // An item added or removed becomes the whole cart it leaves, built on the cart just read.
    let event: ShopEvent;
    let cartBuiltOn: number | null | undefined;
    if (received.type === 'cart.item_changed') {
      // A change applies to the cart as it is, even one stamped before the cart's last write.
      const after = state.cart && state.cart.updatedAt > received.occurredAt ? { ...received, occurredAt: state.cart.updatedAt } : received;
      event = cartAfterChange(after, state.cart);
      cartBuiltOn = state.cart ? (state.cart.cartRev ?? 0) : null;
    } else {
      event = received;
    }
    // An address new to this customer: an erased person imported again (under any id) starts without
    // consent whatever the model says, and an address SES reported bounced or complained about arrives
    // suppressed.
    const email = event.type === 'customer.upserted' ? event.data.email : undefined;
    if (email && deps.addressHash && state.profile?.email?.toLowerCase() !== email.toLowerCase()) {
      const facts = await customers.addressFacts(await deps.addressHash(email));
      if (facts.erasedAt && !state.profile && !state.erasedAt) state.erasedAt = facts.erasedAt;
      if (facts.suppression) state.addressSuppression = facts.suppression;
    }
    // Segments of the triggers this event could start: read only when a campaign names one.
    const filtered = campaigns.filter((c) => c.trigger.segment && c.trigger.event === event.type).map((c) => c.trigger.segment!);
    if (filtered.length > 0 && deps.segments) state.segmentMembership = await deps.segments.of(filtered, event.customerId, now);
    const effects = planEventEffects(event, state, campaigns, now, measured);
    const nextEmail = effects.profile?.next.email;
    if (nextEmail && deps.addressHash && nextEmail.toLowerCase() !== state.profile?.email?.toLowerCase()) {
      const previous = state.profile?.email;
      effects.addressLink = {
        hash: await deps.addressHash(nextEmail),
        ...(previous ? { previousHash: await deps.addressHash(previous) } : {}),
      };
    }
    if (cartBuiltOn !== undefined && event.type === 'cart.updated') {
      // Written whatever the order of instants says: it is built on the stored cart, and guarded by its rev.
      const stamp = state.cart && !effects.cart ? { eventId: state.cart.eventId } : { eventId: event.id };
      const { cartId, items, cartUrl } = event.data;
      const cartKey = cartKeyOf(cartId);
      const cartRev = (cartBuiltOn ?? 0) + 1;
      effects.cart = { customerId: event.customerId, cartKey, cartId, items, cartUrl, updatedAt: event.occurredAt, ...stamp, cartRev };
      effects.cartBuiltOn = cartBuiltOn;
    }
    try {
      const result = await customers.applyEvent(event, effects, now);
      if (result === 'applied' && deps.products) await recordProducts(event, deps.products);
      // After the transaction, which applied the event once: a redelivery is a duplicate and counts nothing.
      if (result === 'applied')
        await countQuietly(deps.stats, resultCounts(effects, state, measured, now), now, {
          customerId: event.customerId,
          what: event.type,
        });
      return result;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      return LOST_RACE;
    }
  }, `events of ${received.customerId}`);
}

function resultCounts(effects: EventEffects, state: CustomerState, campaigns: Campaign[], now: string): Count[] {
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const counts = effects.jobs
    .filter((change) => change.kind === 'cancel')
    .map((change) => cancellationCount(change.job, byId.get(change.job.campaignId), now));
  if (effects.order) counts.push(...orderCounts(effects.order, effects.attribution, state.recentLog ?? [], campaigns));
  return counts;
}

async function recordProducts(event: ShopEvent, products: Products): Promise<void> {
  try {
    if (event.type === 'product.viewed') await products.recordProduct(event.data);
    if (event.type === 'cart.updated') await Promise.all(event.data.items.map((i) => products.recordProduct(i)));
    if (event.type === 'order.placed') await products.recordOrder(event.data.items);
  } catch (error) {
    logger.warn('product facts not updated', { eventId: event.id, ...toErrorContext(error) });
  }
}
