import type { Campaign } from '../journeys/campaign';
import { CONSENT_PURPOSES, type ShopEvent } from './events';
import type { Job } from '../journeys/job';
import { planJourneys, type JobChange } from '../journeys/journeyPlanner';
import { attributeOrder, type Attribution, type LoggedSend } from '../results/attribution';
import type { ProductInfo } from '../rendering/recommendations';
import { comesAfter } from './eventOrder';
import {
  consentAfter,
  isSuppressed,
  type AddressSuppression,
  type Cart,
  type ConsentRecord,
  type PreferenceRecord,
  type Profile,
} from '../customers/profile';
import { preferenceChanges } from '../customers/itemAndPreferenceChanges';

export { cartAfterChange } from '../customers/itemAndPreferenceChanges';

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
  /** For campaigns whose trigger is filtered by a segment: whether the customer is in each, as stored now. */
  segmentMembership?: Record<string, boolean>;
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
  /**
   * The customer's address changed: the salted hashes to link them under (and unlink from), so the
   * console can find a customer by exact address without any listing of addresses. Set by the use case,
   * which holds the key.
   */
  addressLink?: { hash: string; previousHash?: string };
}

export const cartKeyOf = (cartId: string | undefined): string => cartId ?? 'default';

function emptyProfile(customerId: string, now: string, erasedAt?: string): Profile {
  const consent: Profile['consent'] = {};
  // After an erasure, mail resumes only with new consent, whatever the consent model says of "unknown".
  if (erasedAt) {
    for (const topic of CONSENT_PURPOSES) consent[topic] = { status: 'withdrawn', at: erasedAt, source: 'erase', policyVersion: '-' };
  }
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
      const suppression =
        known && !isSuppressed({ suppression: base.suppression, email }, known.blocksTransactional)
          ? { ...known, address: email }
          : base.suppression;
      return {
        expectedRev,
        next: {
          ...base,
          email,
          firstName,
          lastName,
          locale,
          timezone,
          country,
          ...(suppression ? { suppression } : {}),
          attributesAt: event.occurredAt,
          attributesEventId: event.id,
          updatedAt: now,
        },
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

/**
 * `campaigns` start and cancel journeys; `measured` (campaigns and broadcasts) are what an order can be
 * attributed to: a broadcast's email converts like a campaign's, but no event starts a broadcast.
 */
export function planEventEffects(
  event: ShopEvent,
  state: CustomerState,
  campaigns: Campaign[],
  now: string,
  measured: Campaign[] = campaigns,
): EventEffects {
  const effects: EventEffects = {
    profile: profileEffect(event, state, now),
    jobs: planJourneys(event, campaigns, state.jobs, now, state.profile, state.recentViewSkus, state.segmentMembership),
  };
  switch (event.type) {
    case 'preferences.changed':
      if (effects.profile) {
        const before = state.profile ? stripRev(state.profile) : emptyProfile(event.customerId, now);
        effects.preferenceRecords = preferenceChanges(event, before, now);
      }
      break;
    case 'consent.changed':
      // The ledger records every change, even one that arrives after a newer one: it is the proof.
      effects.consentRecord = consentRecordOf(event, now);
      break;
    case 'cart.updated': {
      const cartKey = cartKeyOf(event.data.cartId);
      if (!state.cart || comesAfter(event.occurredAt, event.id, { at: state.cart.updatedAt, eventId: state.cart.eventId })) {
        const { cartId, items, cartUrl } = event.data;
        const cartRev = (state.cart?.cartRev ?? 0) + 1;
        effects.cart = {
          customerId: event.customerId,
          cartKey,
          cartId,
          items,
          cartUrl,
          updatedAt: event.occurredAt,
          eventId: event.id,
          cartRev,
        };
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
      if (!state.orderAttributed) effects.attribution = attributeOrder(effects.order, state.recentLog ?? [], measured);
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
