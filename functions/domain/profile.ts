import type { CartItem, Locale, MarketingTopic } from './events';
import type { FrequencyChoice } from './frequencyCap';

export interface ConsentState {
  status: 'granted' | 'withdrawn';
  at: string;
  source: string;
  policyVersion: string;
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
  consent: Partial<Record<MarketingTopic, ConsentState>>;
  loyalty?: { points: number; tier: string; at: string };
  /** The customer's own choice in the preference center (default: as often as useful). */
  frequency?: FrequencyChoice;
  /** occurredAt of the newest customer.upserted applied: older ones arriving late are ignored. */
  attributesAt?: string;
  updatedAt: string;
}

export interface Cart {
  customerId: string;
  cartKey: string;
  cartId?: string;
  items: CartItem[];
  cartUrl: string;
  updatedAt: string;
}

/** One append-only record of the consent ledger: who, which topic, what, when, how and what they were told. */
export interface ConsentRecord {
  customerId: string;
  topic: MarketingTopic;
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
  if (current && current.at > record.at) return undefined;
  return { status: record.status, at: record.at, source: record.source, policyVersion: record.policyVersion };
}

/** Opt-in: no record means no (docs/consent.md). */
export function hasConsent(profile: Pick<Profile, 'consent'>, topic: MarketingTopic): boolean {
  return profile.consent[topic]?.status === 'granted';
}
