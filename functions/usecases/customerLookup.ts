import type { Job } from '../domain/journeys/job';
import type { ConsentRecord, PreferenceRecord, Profile } from '../domain/customers/profile';
import { DEFAULT_PERSONALIZATION } from '../domain/customers/profile';
import { outcomeSentence, topicWords, type OutcomeEntry } from '../domain/wording/outcomes';
import { timeInZone } from '../domain/wording/time';
import { isValidTimeZone } from '../domain/time/timeZone';

/**
 * The console's Customers page: find a customer by their exact address (through its salted hash, so
 * nothing lists or browses addresses) or by id, and read what happened to them in sentences. Every
 * lookup and every view is written to the audit log, like an export.
 */

/** What this use case needs of the customer store. */
export interface CustomerLookupStore {
  customersWithAddress(addressHash: string): Promise<string[]>;
  getProfile(customerId: string): Promise<Profile | undefined>;
  listReceipts(customerId: string): Promise<{ eventType: string; receivedAt: string }[]>;
  listJobs(customerId: string): Promise<Job[]>;
  listLog(customerId: string): Promise<(OutcomeEntry & { campaignId: string; stepId: string; template?: string })[]>;
  listLedger(customerId: string): Promise<{ consent: ConsentRecord[]; preferences: PreferenceRecord[] }>;
  audit(entry: { action: 'lookup' | 'view'; customerId: string; via: string; actor?: string; at: string }): Promise<void>;
}

export interface CustomerLookupDeps {
  customers: CustomerLookupStore;
  addressHash: (address: string) => Promise<string>;
  clock: { now(): Date };
  /** Campaigns by id, to name them as the marketer named them. */
  campaigns?: () => Promise<readonly { id: string; name: string }[]>;
}

/** Who is looking, and through which door: both go into the audit log. */
export interface Looker {
  actor: string;
  via: 'console' | 'admin_api';
}

/** The customers who have exactly this address (normally one). Audited, also when nobody has it. */
export async function findCustomersByEmail(email: string, who: Looker, deps: CustomerLookupDeps): Promise<string[]> {
  const found = await deps.customers.customersWithAddress(await deps.addressHash(email));
  const at = deps.clock.now().toISOString();
  for (const customerId of found.length ? found : ['(nobody)']) {
    await deps.customers.audit({ action: 'lookup', customerId, via: who.via, actor: who.actor, at });
  }
  return found;
}

export type TimelineKind = 'event' | 'journey' | 'email' | 'consent' | 'preference';
export interface TimelineEntry {
  at: string;
  /** `at` in the viewer's zone, with the zone named. */
  when: string;
  kind: TimelineKind;
  /** What happened, in words. */
  text: string;
  /** The code behind the words, for people who need it (shown small). */
  code?: string;
}

export interface CustomerView {
  customerId: string;
  name?: string;
  /** The address, partly hidden: enough to recognize it, not to copy it. */
  maskedEmail?: string;
  locale: string;
  timeZone?: string;
  country?: string;
  level: string;
  consents: { topic: string; words: string; status: string; since: string; evidence: string }[];
  journeys: { campaignId: string; status: string; step: string; due: string }[];
  timeline: TimelineEntry[];
}

export const maskEmail = (email: string): string => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(1, Math.min(6, local.length - 1)))}@${domain}`;
};

const EVENT_WORDS: Record<string, string> = {
  'customer.upserted': 'profile updated by the shop',
  'cart.updated': 'cart changed',
  'cart.item_changed': 'an item in the cart changed',
  'order.placed': 'order placed',
  'product.viewed': 'product viewed',
  'loyalty.points_changed': 'loyalty points changed',
  'consent.changed': 'consent changed by the shop',
};

const SOURCE_WORDS: Record<string, string> = {
  one_click: "the email's one-click unsubscribe",
  preference_center: 'the preference center',
  complaint: 'a spam complaint',
  bounce: 'a bounce',
  erase: 'erasure',
};

function evidenceOf(r: ConsentRecord, zone: string, now: string): string {
  const via = SOURCE_WORDS[r.source] ?? r.source.replaceAll('_', ' ');
  const shown = r.textShown ? `, shown "${r.textShown}"` : '';
  const when = timeInZone(r.at, zone, now);
  return `${r.status === 'granted' ? 'given' : 'withdrawn'} through ${via} on ${when}, policy ${r.policyVersion}${shown}`;
}

/** A customer's profile, consents, journeys and timeline in words. Undefined when nothing is stored. Audited. */
export async function viewCustomer(
  customerId: string,
  who: Looker,
  viewerZone: string,
  deps: CustomerLookupDeps,
): Promise<CustomerView | undefined> {
  const { customers } = deps;
  const now = deps.clock.now().toISOString();
  const [profile, receipts, jobs, log, ledger, campaigns] = await Promise.all([
    customers.getProfile(customerId),
    customers.listReceipts(customerId),
    customers.listJobs(customerId),
    customers.listLog(customerId),
    customers.listLedger(customerId),
    deps.campaigns?.() ?? [],
  ]);
  const names = new Map(campaigns.map((c) => [c.id, c.name]));
  const campaign = (id: string): string => names.get(id) ?? id;
  if (!profile && jobs.length === 0 && log.length === 0 && ledger.consent.length === 0) return undefined;
  await customers.audit({ action: 'view', customerId, via: who.via, actor: who.actor, at: now });

  const when = (iso: string): string => timeInZone(iso, viewerZone, now);
  const recipientZone = profile?.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : viewerZone;
  const name = profile?.firstName;
  const withdrawnAt = (topic: string): string | undefined =>
    ledger.consent.filter((r) => r.topic === topic && r.status === 'withdrawn').sort((a, b) => b.at.localeCompare(a.at))[0]?.at;

  const timeline: TimelineEntry[] = [
    ...receipts.map((r) => ({
      at: r.receivedAt,
      kind: 'event' as const,
      text: `received: ${EVENT_WORDS[r.eventType] ?? r.eventType}`,
      code: r.eventType,
    })),
    ...jobs.map((j) => ({ at: j.createdAt, kind: 'journey' as const, text: `journey started: ${campaign(j.campaignId)}`, code: j.jobId })),
    ...log.map((e) => ({
      at: e.at,
      kind: 'email' as const,
      text:
        `${campaign(e.campaignId)}, step ${e.stepId}: ` +
        outcomeSentence(e, { ...(name ? { name } : {}), viewerZone, recipientZone, withdrawnAt, now }),
      code: [e.outcome, e.reason, e.detail].filter(Boolean).join(' · '),
    })),
    ...ledger.consent.map((r) => ({
      at: r.at,
      kind: 'consent' as const,
      text: `${r.status === 'granted' ? 'agreed to' : 'withdrew'} ${topicWords(r.topic)} (${SOURCE_WORDS[r.source] ?? r.source})`,
      code: `${r.topic}:${r.status}`,
    })),
    ...ledger.preferences.map((p) => ({
      at: p.at,
      kind: 'preference' as const,
      text: `changed ${p.field} ${p.from ? `from ${p.from} ` : ''}to ${p.to}`,
      code: p.source,
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((e) => ({ ...e, when: when(e.at) }));

  const latest = new Map<string, ConsentRecord>();
  for (const r of [...ledger.consent].sort((a, b) => a.at.localeCompare(b.at))) latest.set(r.topic, r);
  const consents = Object.entries(profile?.consent ?? {}).map(([topic, state]) => {
    const record = latest.get(topic);
    return {
      topic,
      words: topicWords(topic),
      status: state?.status === 'granted' ? 'agreed' : 'withdrawn',
      since: state?.at ? when(state.at) : '',
      evidence: record ? evidenceOf(record, viewerZone, now) : `recorded from ${state?.source ?? 'the shop'}`,
    };
  });

  return {
    customerId,
    ...(name ? { name } : {}),
    ...(profile?.email ? { maskedEmail: maskEmail(profile.email) } : {}),
    locale: profile?.locale ?? 'en',
    ...(profile?.timezone ? { timeZone: profile.timezone } : {}),
    ...(profile?.country ? { country: profile.country } : {}),
    level: profile?.personalization ?? DEFAULT_PERSONALIZATION,
    consents,
    journeys: jobs
      .filter((j) => j.status === 'pending' || j.status === 'queued' || j.status === 'sending')
      .map((j) => ({
        campaignId: j.campaignId,
        status: j.heldSince ? 'held (campaign paused)' : j.status,
        step: j.stepId,
        due: when(j.dueAt),
      })),
    timeline,
  };
}
