import { comesAfter } from '../events/eventOrder';
import type { CartItem, ConsentPurpose, Locale, MarketingTopic } from '../events/events';
import type { FrequencyChoice } from '../pacing/frequencyCap';

export interface ConsentState {
  status: 'granted' | 'withdrawn';
  at: string;
  source: string;
  policyVersion: string;
  /** The event that set it: the tiebreak between two changes of the same instant (eventOrder.ts). */
  eventId?: string;
}

/** What we keep about a customer, and nothing more: see docs/storage.md for why each field exists. */
export interface Profile {
  customerId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  locale: Locale;
  timezone?: string;
  country?: string;
  /** Per marketing topic, and for `tracking` (opens and clicks). */
  consent: Partial<Record<ConsentPurpose, ConsentState>>;
  loyalty?: { points: number; tier: string; at: string; eventId?: string; pointsExpireAt?: string };
  /** The customer's own choice in the preference center (default: as often as useful). */
  frequency?: FrequencyChoice;
  /** How much of their behaviour may shape their mail (default: basic). */
  personalization?: PersonalizationLevel;
  /** Set by a hard bounce or a complaint: no more mail to this address (a new address lifts it). */
  suppression?: Suppression;
  /** occurredAt (and id) of the newest customer.upserted applied: older ones arriving late are ignored (eventOrder.ts). */
  attributesAt?: string;
  attributesEventId?: string;
  /** When tactful first stored this customer (absent on profiles stored before it was kept). */
  createdAt?: string;
  updatedAt: string;
}

export const PERSONALIZATION_LEVELS = ['none', 'basic', 'full'] as const;
export type PersonalizationLevel = (typeof PERSONALIZATION_LEVELS)[number];
export const DEFAULT_PERSONALIZATION: PersonalizationLevel = 'basic';
export const levelRank = (level: PersonalizationLevel): number => PERSONALIZATION_LEVELS.indexOf(level);

export interface Suppression {
  reason: 'hard-bounce' | 'complaint' | 'erased';
  at: string;
  /** The address it applies to. */
  address: string;
  /** A hard bounce stops transactional mail too; a complaint only marketing. */
  blocksTransactional: boolean;
}

/** A suppression known only by the address's hash (SES feedback that named no customer). */
export type AddressSuppression = Omit<Suppression, 'address'> & { reason: 'hard-bounce' | 'complaint' };

export function isSuppressed(profile: Pick<Profile, 'suppression' | 'email'>, transactional: boolean): boolean {
  const s = profile.suppression;
  if (!s || !profile.email || s.address.toLowerCase() !== profile.email.toLowerCase()) return false;
  return transactional ? s.blocksTransactional : true;
}

export interface Cart {
  customerId: string;
  cartKey: string;
  cartId?: string;
  items: CartItem[];
  cartUrl: string;
  updatedAt: string;
  /** The event that set it: the tiebreak between two updates of the same instant (eventOrder.ts). */
  eventId?: string;
  /** Counts writes: a cart built on this one (an item added or removed) is written only if it is still this one. */
  cartRev?: number;
}

/** One append-only record of the consent ledger: who, which topic, what, when, how and what they were told. */
export interface ConsentRecord {
  customerId: string;
  topic: ConsentPurpose;
  channel: 'email';
  status: 'granted' | 'withdrawn';
  at: string;
  source: string;
  policyVersion: string;
  textShown?: string;
  eventId: string;
  recordedAt: string;
}

/** Consent follows the newest record by the time it was given, whatever order the records arrived in. */
export function consentAfter(current: ConsentState | undefined, record: ConsentRecord): ConsentState | undefined {
  if (current && !comesAfter(record.at, record.eventId, current)) return undefined;
  return { status: record.status, at: record.at, source: record.source, policyVersion: record.policyVersion, eventId: record.eventId };
}

/**
 * What "no record" means. Opt-in everywhere by default (GDPR, ePrivacy); a shop that relies on opt-out
 * where the law allows it names those countries (docs/consent.md).
 */
export interface ConsentModel {
  optOutCountries: readonly string[];
}

export const OPT_IN_EVERYWHERE: ConsentModel = { optOutCountries: [] };

export function hasConsent(
  profile: Pick<Profile, 'consent' | 'country'>,
  topic: MarketingTopic,
  model: ConsentModel = OPT_IN_EVERYWHERE,
): boolean {
  const state = profile.consent[topic];
  if (state) return state.status === 'granted';
  return profile.country !== undefined && model.optOutCountries.includes(profile.country);
}

/** A change of preferences (frequency, personalization), appended beside the consent ledger. */
export interface PreferenceRecord {
  customerId: string;
  field: 'frequency' | 'personalization' | 'suppression';
  from?: string;
  to: string;
  at: string;
  source: string;
  id: string;
}

/**
 * Whether an email to this customer may track opens and clicks: only with their `tracking` consent.
 * Missing consent means no, whatever the country, unless the shop names opt-out countries for tracking
 * itself (TRACKING_OPT_OUT_COUNTRIES; the topics' opt-out countries do not apply). A withdrawal always wins.
 */
export function tracksEngagement(profile: Pick<Profile, 'consent' | 'country'>, model: ConsentModel = OPT_IN_EVERYWHERE): boolean {
  const state = profile.consent.tracking;
  if (state) return state.status === 'granted';
  return profile.country !== undefined && model.optOutCountries.includes(profile.country);
}
