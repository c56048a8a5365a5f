import type { PreferenceRecord } from '../domain/customers/profile';
import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Customers } from './ports/customers';
import { randomUUID } from 'node:crypto';
import { addressHash } from '../domain/consent/addressHash';
import { MARKETING_TOPICS, type ConsentPurpose, type MarketingTopic, type ShopEvent } from '../domain/events/events';
import type { FrequencyChoice } from '../domain/pacing/frequencyCap';
import type { ConsentRecord, PersonalizationLevel, Profile } from '../domain/customers/profile';
import { unsubscribeCount, type EmailRef } from '../domain/results/counters';
import { applyShopEvent } from './applyShopEvent';
import { countQuietly, type ResultsRecorder } from './countResults';

/**
 * What customers do from their links: unsubscribe, change topics, frequency and personalization,
 * download or erase their data. Every change is recorded with its source (one_click,
 * preference_center, complaint, erase) — consent changes in the consent ledger, the rest beside it.
 */

export interface PreferenceDeps {
  customers: Customers;
  catalog: Catalog;
  clock: Clock;
  policyVersion: string;
  /** Campaign results: unsubscribes from an email's link, SES events, cancelled journeys, orders. */
  stats?: ResultsRecorder;
}

export type ConsentSource = 'one_click' | 'preference_center' | 'complaint' | 'bounce' | 'erase';

/** Applies consent changes through the same path as shop events: ledger record, derived state and journeys together. */
export async function changeConsent(
  customerId: string,
  changes: { topic: ConsentPurpose; status: 'granted' | 'withdrawn' }[],
  source: ConsentSource,
  deps: PreferenceDeps,
  textShown?: string,
): Promise<void> {
  const now = isoNow(deps.clock);
  for (const { topic, status } of changes) {
    const event: ShopEvent = {
      id: `${source}-${randomUUID()}`,
      type: 'consent.changed',
      customerId,
      occurredAt: now,
      data: { topic, status, source, policyVersion: deps.policyVersion, textShown },
    };
    await applyShopEvent(event, deps);
  }
}

/**
 * One-click and page unsubscribes: the email's topic, or every marketing topic. Idempotent. `from` names
 * the email whose link was used: an unsubscribe that withdrew something counts for it, once.
 */
export async function unsubscribe(
  customerId: string,
  scope: MarketingTopic | 'all',
  source: ConsentSource,
  deps: PreferenceDeps,
  from?: { email: EmailRef; sentAt: string },
): Promise<MarketingTopic[]> {
  const profile = await deps.customers.getProfile(customerId);
  const topics = scope === 'all' ? [...MARKETING_TOPICS] : [scope];
  // Only what is not already withdrawn: repeating an unsubscribe adds nothing to the ledger.
  const toWithdraw = topics.filter((t) => profile?.consent[t]?.status !== 'withdrawn');
  await changeConsent(
    customerId,
    toWithdraw.map((topic) => ({ topic, status: 'withdrawn' as const })),
    source,
    deps,
  );
  if (from && toWithdraw.length > 0) {
    await countQuietly(deps.stats, [unsubscribeCount(customerId, from.email, from.sentAt)], isoNow(deps.clock), {
      customerId,
      what: 'unsubscribed',
    });
  }
  return toWithdraw;
}

export interface PreferenceChoices {
  topics: Partial<Record<MarketingTopic, boolean>>;
  /** The tracking switch: open and click tracking on (true) or off (false); undefined leaves it. */
  tracking?: boolean;
  frequency?: FrequencyChoice;
  personalization?: PersonalizationLevel;
}

/** The preference form: topic and tracking switches into the ledger, frequency and personalization beside it. */
export async function savePreferences(
  customerId: string,
  choices: PreferenceChoices,
  deps: PreferenceDeps,
  textShown: (purpose: ConsentPurpose) => string,
): Promise<void> {
  const profile = await deps.customers.getProfile(customerId);
  if (!profile) return;
  const wanted: Partial<Record<ConsentPurpose, boolean>> = { ...choices.topics };
  if (choices.tracking !== undefined) wanted.tracking = choices.tracking;
  for (const topic of [...MARKETING_TOPICS, 'tracking'] as const) {
    const choice = wanted[topic];
    if (choice === undefined) continue;
    const current = profile.consent[topic]?.status === 'granted';
    if (choice === current) continue;
    await changeConsent(customerId, [{ topic, status: choice ? 'granted' : 'withdrawn' }], 'preference_center', deps, textShown(topic));
  }
  const now = isoNow(deps.clock);
  await deps.customers.updateProfile(customerId, (current) => {
    const records: PreferenceRecord[] = [];
    const next: Profile = { ...current, updatedAt: now };
    for (const field of ['frequency', 'personalization'] as const) {
      const to = choices[field];
      const from = current[field];
      if (to === undefined || to === (from ?? defaults[field])) continue;
      (next as unknown as Record<string, string>)[field] = to;
      records.push({ customerId, field, from: from ?? defaults[field], to, at: now, source: 'preference_center', id: randomUUID() });
    }
    return records.length ? { next, records } : undefined;
  });
}

const defaults = { frequency: 'any', personalization: 'basic' } as const;

export interface PreferenceView {
  profile: Profile;
  consent: ConsentRecord[];
  preferences: PreferenceRecord[];
}

export async function preferenceView(customerId: string, deps: Pick<PreferenceDeps, 'customers'>): Promise<PreferenceView | undefined> {
  const [profile, ledger] = await Promise.all([deps.customers.getProfile(customerId), deps.customers.listLedger(customerId)]);
  if (!profile) return undefined;
  const { rev: _rev, ...rest } = profile;
  return { profile: rest, ...ledger };
}

/** What each kind of stored record is, so an export explains itself (GDPR Art. 15 and 20). */
const KIND_MEANING: Record<string, string> = {
  profile: 'Your details as the shop gave them, your consent per topic and your choices.',
  consent: 'Consent ledger: every time you gave or withdrew consent, how, and what you were shown.',
  preference: 'Every change of your email frequency or personalization level.',
  cart: 'A cart you left, kept 60 days after its last change to remind you of it.',
  order: 'Orders: what was bought and for how much, kept 730 days.',
  view: 'Products you viewed, kept 90 days (used only at personalization level "full").',
  job: 'A planned or finished email journey and, if it was not sent, why.',
  deliveryLog: 'Each email sent, skipped or postponed, with the reason and the data fields it used.',
  caps: 'Times of recent marketing emails, used to keep their number within limits.',
  eventReceipt: 'Receipt of an event from the shop, kept 30 days so it is applied once.',
  erasure: 'When your data was erased.',
  attribution: 'An order counted as the result of an email we sent you (or, in a test group, did not send).',
  counted:
    'That something about an email we sent you (delivered, opened, clicked, unsubscribed from, followed by an order) was counted once ' +
    'in the campaign’s totals, which name no one.',
};

const INTERNAL_KEYS = new Set(['pk', 'sk', 'kind', 'rev', 'cartRev', 'version', 'dueShard', 'sweepAt', 'campaignDay', 'loggedAt']);

/** Everything stored about the customer, grouped by kind, each group with what it means. Audited, content not kept. */
export async function exportCustomerData(
  customerId: string,
  via: string,
  deps: Pick<PreferenceDeps, 'customers' | 'clock'>,
): Promise<Record<string, unknown>> {
  const items = await deps.customers.listEverything(customerId);
  await deps.customers.audit({ action: 'export', customerId, via, at: isoNow(deps.clock) });
  const groups: Record<string, { meaning: string; records: Record<string, unknown>[] }> = {};
  for (const item of items) {
    const kind = String(item['kind'] ?? 'other');
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if (INTERNAL_KEYS.has(key)) continue;
      record[key === 'expiresAt' ? 'deleteAfter' : key] =
        key === 'expiresAt' && typeof value === 'number' ? new Date(value * 1000).toISOString() : value;
    }
    (groups[kind] ??= { meaning: KIND_MEANING[kind] ?? 'Other stored data.', records: [] }).records.push(record);
  }
  return { format: 'tactful-export/1', customerId, exportedAt: isoNow(deps.clock), data: groups };
}

/**
 * Erases a customer's personal data: everything in their partition goes, pending jobs included, except
 * the consent ledger (the evidence of consent asked for by GDPR Art. 7(1), which names no address). A
 * tombstone with a salted hash of the address keeps them from being mailed again by a later import.
 */
export async function eraseCustomer(
  customerId: string,
  via: string,
  deps: PreferenceDeps & { tokenKey: () => Promise<Buffer> },
): Promise<Record<string, number>> {
  const now = isoNow(deps.clock);
  const profile = await deps.customers.getProfile(customerId);
  if (profile) await unsubscribe(customerId, 'all', 'erase', deps);
  const hash = profile?.email ? addressHash(profile.email, await deps.tokenKey()) : undefined;
  // The consent ledger stays: the evidence of consent (GDPR Art. 7(1)), naming no address.
  const removed = await deps.customers.erase(
    customerId,
    ['consent'],
    { erasedAt: now, via },
    hash ? { addressHash: hash, at: now } : undefined,
  );
  if (hash) await deps.customers.unlinkAddress(hash, customerId);
  await deps.customers.audit({ action: 'erase', customerId, via, at: now, detail: removed });
  return removed;
}
