import type { DeliveryLogEntry } from '../domain/sending/deliveryLog';
import type { PreferenceRecord } from '../domain/customers/profile';
import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Customers } from './ports/customers';
import type { Campaign } from '../domain/journeys/campaign';
import type { Job } from '../domain/journeys/job';
import type { Cart, ConsentRecord, Profile } from '../domain/customers/profile';
import { parseWhyScope } from '../domain/consent/whyLink';
import type { TokenClaims } from '../domain/consent/unsubscribeToken';

/**
 * "Why did I get this?" for one email: what its delivery log entry says tactful used (campaign, step,
 * trigger, fields, level, consent, tracking), with the values as they are now. Only ever shown to the
 * customer, through the email's own signed link.
 */
export interface WhyEmailDeps {
  customers: Pick<Customers, 'emailFacts'>;
  catalog: Pick<Catalog, 'campaign'>;
  clock: Clock;
}

export interface WhyEmailView {
  profile: Profile;
  entry: DeliveryLogEntry & { outcome: 'sent' };
  campaign?: Campaign;
  job?: Job;
  cart?: Cart;
  /** The ledger record the email relied on, when it is still there (it survives everything but time). */
  consentRecord?: ConsentRecord;
  consent: ConsentRecord[];
  preferences: PreferenceRecord[];
}

/** The view; `erased` once the customer's data is gone; undefined when the link names no email we sent. */
export async function whyEmail(claims: TokenClaims, deps: WhyEmailDeps): Promise<WhyEmailView | 'erased' | undefined> {
  const named = parseWhyScope(claims.scope);
  if (!named || !claims.email) return undefined;
  const campaign = await deps.catalog.campaign(claims.email.campaignId);
  const cartKey = campaign?.journeyKey === 'cartId' ? named.jobId.slice(named.jobId.indexOf('#') + 1) : undefined;
  const facts = await deps.customers.emailFacts(claims.customerId, { ...named, stepId: claims.email.stepId, cartKey }, isoNow(deps.clock));
  if (!facts.profile) return facts.erased ? 'erased' : undefined;
  const entry = facts.entry;
  if (!entry || entry.outcome !== 'sent') return undefined;
  const relied = entry.why?.consent;
  const consentRecord = relied && facts.consent.find((r) => r.topic === relied.topic && r.at === relied.at && r.status === 'granted');
  const { rev: _rev, ...profile } = facts.profile;
  return {
    profile,
    entry: entry as DeliveryLogEntry & { outcome: 'sent' },
    campaign,
    job: facts.job,
    cart: facts.cart,
    consentRecord,
    consent: facts.consent,
    preferences: facts.preferences,
  };
}
