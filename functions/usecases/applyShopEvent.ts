import type { CatalogCache } from '../adapters/dynamo/catalogCache';
import type { ApplyResult, CustomerStore } from '../adapters/dynamo/customerStore';
import { isoNow, type Clock } from '../adapters/clock';
import { cartKeyOf, planEventEffects } from '../domain/eventEffects';
import type { ShopEvent } from '../domain/events';
import { ConcurrentUpdateError } from '../shared/errors';

export interface ApplyShopEventDeps {
  customers: CustomerStore;
  catalog: CatalogCache;
  clock: Clock;
}

const MAX_ATTEMPTS = 5;

/**
 * Applies one shop event: read the customer's state, decide (pure), write everything with the event's
 * receipt in one transaction. A concurrent writer makes the transaction fail; we read again and redecide.
 */
export async function applyShopEvent(event: ShopEvent, { customers, catalog, clock }: ApplyShopEventDeps): Promise<ApplyResult> {
  const campaigns = await catalog.campaigns();
  const cartKey = event.type === 'cart.updated' ? cartKeyOf(event.data.cartId) : undefined;
  for (let attempt = 1; ; attempt++) {
    const now = isoNow(clock);
    const state = await customers.loadState(event.customerId, cartKey);
    const effects = planEventEffects(event, state, campaigns, now);
    try {
      return await customers.applyEvent(event, effects, now);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
