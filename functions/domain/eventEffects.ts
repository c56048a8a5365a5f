import type { Campaign } from './campaign';
import { MARKETING_TOPICS, type CartItemChanged, type ShopEvent } from './events';
import type { Job } from './job';
import { planJourneys, type JobChange } from './journeyPlanner';
import { attributeOrder, type Attribution, type LoggedSend } from './attribution';
import type { ProductInfo } from './recommendations';
import { comesAfter } from './eventOrder';
import { consentAfter, DEFAULT_PERSONALIZATION, isSuppressed, type AddressSuppression, type Cart, type ConsentRecord, type PreferenceRecord, type Profile } from './profile';

/**
 * What one shop event changes, decided from the state it was read against. The store writes all of it
 * in one transaction together with the event's receipt, so an event applies fully once or not at all.
 */

export interface OrderRecord {
  customerId: string;
  orderId: string;
  cartId?: string;
  total: number;
  currency: string;
  items: { sku: string; qty: number; price: number }[];
  placedAt: string;
}

/** A product view: the product's facts, who viewed it and when. */
export interface ViewRecord extends ProductInfo {
  customerId: string;
  viewedAt: string;
  eventId: string;
}

export interface CustomerState {
  profile?: Profile & { rev: number };
  /** For an order: the customer's recent delivery log, and whether this order was already attributed. */
  recentLog?: LoggedSend[];
  orderAttributed?: boolean;
  /** For a view: skus the customer viewed in the last 24 hours (stored only at level full). */
  recentViewSkus?: string[];
  /** When this customer's data was erased: a profile created again starts with consent withdrawn. */
  erasedAt?: string;
  /** For a customer.upserted with an address new to the customer: SES feedback that suppressed it. */
  addressSuppression?: AddressSuppression;
  cart?: Cart;
  jobs: Job[];
}

export interface EventEffects {
  profile?: { next: Profile; expectedRev: number | null };
  cart?: Cart;
  /** For a cart derived from the stored one: the stored cart's cartRev (null: there was none; 0: it had no rev). */
  cartBuiltOn?: number | null;
  consentRecord?: ConsentRecord;
  /** Preference changes (frequency, personalization) recorded beside the consent ledger. */
  preferenceRecords?: PreferenceRecord[];
  order?: OrderRecord;
  view?: ViewRecord;
  attribution?: Attribution;
  jobs: JobChange[];
}

export const cartKeyOf = (cartId: string | undefined): string => cartId ?? 'default';

function emptyProfile(customerId: string, now: string, erasedAt?: string): Profile {
  const consent: Profile['consent'] = {};
  // After an erasure, mail resumes only with new consent, whatever the consent model says of "unknown".
  if (erasedAt) for (const topic of MARKETING_TOPICS) consent[topic] = { status: 'withdrawn', at: erasedAt, source: 'erase', policyVersion: '-' };
  return { customerId, locale: 'en', consent, createdAt: now, updatedAt: now };
}

function profileEffect(event: ShopEvent, state: CustomerState, now: string): EventEffects['profile'] {
  const current = state.profile;
  const base: Profile = current ? stripRev(current) : emptyProfile(event.customerId, now, state.erasedAt);
  const expectedRev = current ? current.rev : null;
  switch (event.type) {
    case 'customer.upserted': {
      if (!comesAfter(event.occurredAt, event.id, { at: base.attributesAt, eventId: base.attributesEventId })) return undefined;
      const { email, firstName, lastName, locale, timezone, country } = event.data;
      const known = state.addressSuppression;
      const suppression = known && !isSuppressed({ suppression: base.suppression, email }, known.blocksTransactional) ? { ...known, address: email } : base.suppression;
      return {
        expectedRev,
        next: { ...base, email, firstName, lastName, locale, timezone, country, ...(suppression ? { suppression } : {}), attributesAt: event.occurredAt, attributesEventId: event.id, updatedAt: now },
      };
    }
    case 'consent.changed': {
      const record = consentRecordOf(event, now);
      const next = consentAfter(base.consent[event.data.topic], record);
      if (!next) return undefined;
      return { expectedRev, next: { ...base, consent: { ...base.consent, [event.data.topic]: next }, updatedAt: now } };
    }
    case 'preferences.changed': {
      const changes = preferenceChanges(event, base, now);
      if (changes.length === 0) return undefined;
      const next: Profile = { ...base, updatedAt: now };
      for (const c of changes) (next as unknown as Record<string, string>)[c.field] = c.to;
      return { expectedRev, next };
    }
    case 'loyalty.points_changed': {
      if (base.loyalty && !comesAfter(event.occurredAt, event.id, base.loyalty)) return undefined;
      return { expectedRev, next: { ...base, loyalty: { ...event.data, at: event.occurredAt, eventId: event.id }, updatedAt: now } };
    }
    default:
      return undefined;
  }
}

const PREFERENCE_DEFAULTS = { frequency: 'any', personalization: DEFAULT_PERSONALIZATION } as const;

/** What a preferences.changed event changes: only fields whose value differs from the current one. */
function preferenceChanges(event: Extract<ShopEvent, { type: 'preferences.changed' }>, profile: Profile, now: string): PreferenceRecord[] {
  const wanted = { frequency: event.data.frequency, personalization: event.data.personalizationLevel };
  const records: PreferenceRecord[] = [];
  for (const field of ['frequency', 'personalization'] as const) {
    const to = wanted[field];
    const from = profile[field] ?? PREFERENCE_DEFAULTS[field];
    if (to === undefined || to === from) continue;
    records.push({ customerId: event.customerId, field, from, to, at: event.occurredAt > now ? now : event.occurredAt, source: 'shop', id: `${event.id}#${field}` });
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
    return { id: event.id, type: 'cart.updated', customerId: event.customerId, occurredAt: event.occurredAt, data: { cartId, cartUrl: stored?.cartUrl ?? cartUrl, items: remaining } };
  }
  if (existing) existing.qty = Math.min(10_000, existing.qty + item.qty);
  else items.push(item);
  return { id: event.id, type: 'cart.updated', customerId: event.customerId, occurredAt: event.occurredAt, data: { cartId, cartUrl: stored?.cartUrl ?? cartUrl, items } };
}

function stripRev(profile: Profile & { rev: number }): Profile {
  const { rev: _rev, ...rest } = profile;
  return rest;
}

function consentRecordOf(event: Extract<ShopEvent, { type: 'consent.changed' }>, now: string): ConsentRecord {
  return {
    customerId: event.customerId,
    topic: event.data.topic,
    channel: 'email',
    status: event.data.status,
    at: event.occurredAt,
    source: event.data.source,
    policyVersion: event.data.policyVersion,
    textShown: event.data.textShown,
    eventId: event.id,
    recordedAt: now,
  };
}

export function planEventEffects(event: ShopEvent, state: CustomerState, campaigns: Campaign[], now: string): EventEffects {
  const effects: EventEffects = { profile: profileEffect(event, state, now), jobs: planJourneys(event, campaigns, state.jobs, now, state.profile, state.recentViewSkus) };
  switch (event.type) {
    case 'preferences.changed':
      if (effects.profile) effects.preferenceRecords = preferenceChanges(event, state.profile ? stripRev(state.profile) : emptyProfile(event.customerId, now), now);
      break;
    case 'consent.changed':
      // The ledger records every change, even one that arrives after a newer one: it is the proof.
      effects.consentRecord = consentRecordOf(event, now);
      break;
    case 'cart.updated': {
      const cartKey = cartKeyOf(event.data.cartId);
      if (!state.cart || comesAfter(event.occurredAt, event.id, { at: state.cart.updatedAt, eventId: state.cart.eventId })) {
        effects.cart = { customerId: event.customerId, cartKey, cartId: event.data.cartId, items: event.data.items, cartUrl: event.data.cartUrl, updatedAt: event.occurredAt, eventId: event.id, cartRev: (state.cart?.cartRev ?? 0) + 1 };
      }
      break;
    }
    case 'order.placed':
      effects.order = {
        customerId: event.customerId,
        orderId: event.data.orderId,
        cartId: event.data.cartId,
        total: event.data.total,
        currency: event.data.currency,
        // Data minimization: what was bought and for how much; names and images are not needed later.
        items: event.data.items.map(({ sku, qty, price }) => ({ sku, qty, price })),
        placedAt: event.occurredAt,
      };
      if (!state.orderAttributed) effects.attribution = attributeOrder(effects.order, state.recentLog ?? [], campaigns);
      break;
    case 'product.viewed':
      // Browsing is kept only for customers who chose "full" personalization: nobody else's is needed.
      if (state.profile?.personalization === 'full') {
        effects.view = { customerId: event.customerId, ...event.data, viewedAt: event.occurredAt, eventId: event.id };
      }
      break;
    default:
      break;
  }
  return effects;
}
