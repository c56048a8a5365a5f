import { isoNow } from './ports/clock';
import type { Jobs } from './ports/jobs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeCustomerTag, decodeJourneyTag } from '../domain/sending/sesTags';
import { confirmFromSes, type ConfirmationResult } from './sendConfirmation';
import type { Suppression } from '../domain/customers/profile';
import { sesEventCount, wasTracked } from '../domain/results/counters';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';
import { unsubscribe, type PreferenceDeps } from './preferences';

/**
 * SES feedback (from the configuration set's event destination, or POST /dev/ses-events locally).
 * A permanent bounce suppresses the address for all mail; a complaint suppresses marketing and
 * withdraws every marketing consent. Deliveries, opens, clicks, bounces and complaints are counted in
 * the campaign results, once per email (docs/results.md).
 */
export const sesEventSchema = z.object({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  mail: z.object({
    messageId: z.string(),
    /** When SES accepted the email: the day its results count on. */
    timestamp: z.string().optional(),
    destination: z.array(z.string()).default([]),
    tags: z.record(z.string(), z.array(z.string())).default({}),
  }),
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]) }).optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]) }).optional(),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

/**
 * `suppressed`: the customer it names (and the address); `suppressed-address`: the address alone, since no
 * customer could be named; `counted`: added to the campaign results; `ignored`: nothing to do (not
 * counted, or counted before); `unknown-customer`: nobody to suppress and no way to keep the address.
 */
export type FeedbackResult = 'suppressed' | 'suppressed-address' | 'confirmed' | 'counted' | 'ignored' | 'unknown-customer';

export interface FeedbackDeps extends PreferenceDeps {
  /** Salted hash of an address: suppresses it apart from any customer (absent: only tagged feedback suppresses). */
  addressHash?: (address: string) => Promise<string>;
  /** The jobs, so SES's word settles a send whose record was never written (absent: it is not settled). */
  jobs?: Jobs;
}

/** Events that prove SES took the email: they settle a send of unknown outcome (sendConfirmation.ts). */
const PROOF_OF_SENDING = new Set(['Send', 'Delivery', 'Bounce', 'Complaint']);

export async function applySesFeedback(event: SesEvent, deps: FeedbackDeps): Promise<FeedbackResult> {
  const type = event.eventType ?? event.notificationType;
  const tag = event.mail.tags['customer']?.[0];
  const hardBounce = type === 'Bounce' && event.bounce?.bounceType === 'Permanent';
  const complaint = type === 'Complaint';
  count('SesEvents', 1, { name: 'type', value: type ?? 'unknown' });
  let suppressed: FeedbackResult | undefined;
  if (hardBounce || complaint) {
    const recipients = recipientsOf(event, hardBounce);
    // By address first, for whoever has it now or later: the tag may be missing (legacy notifications,
    // mail sent before tags) or name a customer who no longer has this address.
    const byAddress = await suppressAddresses(recipients, hardBounce, deps);
    const byCustomer = tag ? await suppress(event, recipients, decodeCustomerTag(tag), hardBounce, complaint, deps) : undefined;
    suppressed = byCustomer === 'suppressed' ? byCustomer : byAddress ? 'suppressed-address' : undefined;
  }
  // Counted after the suppression: a failure here throws, SES's redelivery suppresses again (harmless)
  // and counts, since a failed count leaves no marker behind.
  const confirmed = await confirm(event, type, tag, deps);
  const counted = await countEvent(event, type, tag, deps);
  if (suppressed) return suppressed;
  if (confirmed === 'confirmed') return confirmed;
  if (counted) return 'counted';
  if ((hardBounce || complaint) && !tag) {
    logger.warn('SES feedback without a customer tag', { messageId: event.mail.messageId, type });
    return 'unknown-customer';
  }
  return 'ignored';
}

const recipientsOf = (event: SesEvent, hardBounce: boolean): string[] =>
  (
    (hardBounce ? event.bounce?.bouncedRecipients : event.complaint?.complainedRecipients)?.map((r) => r.emailAddress) ??
    event.mail.destination
  ).map((a) => a.trim().toLowerCase());

async function suppressAddresses(recipients: string[], hardBounce: boolean, deps: FeedbackDeps): Promise<boolean> {
  if (!deps.addressHash || recipients.length === 0) return false;
  const at = isoNow(deps.clock);
  for (const address of new Set(recipients)) {
    await deps.customers.suppressAddress(await deps.addressHash(address), {
      reason: hardBounce ? 'hard-bounce' : 'complaint',
      at,
      blocksTransactional: hardBounce,
    });
  }
  return true;
}

async function confirm(
  event: SesEvent,
  type: string | undefined,
  tag: string | undefined,
  deps: FeedbackDeps,
): Promise<ConfirmationResult> {
  const { campaign, journey, send, variant } = event.mail.tags;
  if (!deps.jobs || !tag || !type || !PROOF_OF_SENDING.has(type) || !campaign?.[0] || !journey?.[0] || !send?.[0]) return 'ignored';
  const acceptedAt =
    event.mail.timestamp && !Number.isNaN(Date.parse(event.mail.timestamp))
      ? new Date(event.mail.timestamp).toISOString()
      : isoNow(deps.clock);
  return confirmFromSes(
    {
      customerId: decodeCustomerTag(tag),
      campaignId: campaign[0],
      journeyKey: decodeJourneyTag(journey[0]),
      sendTag: send[0],
      variant: variant?.[0],
      messageId: event.mail.messageId,
      acceptedAt,
      tracked: wasTracked(event.mail.tags),
    },
    { ...deps, jobs: deps.jobs },
  );
}

async function countEvent(event: SesEvent, type: string | undefined, tag: string | undefined, deps: PreferenceDeps): Promise<boolean> {
  if (!deps.stats) return false;
  const now = isoNow(deps.clock);
  const counted = sesEventCount(
    { type, messageId: event.mail.messageId, tags: event.mail.tags, sentAt: event.mail.timestamp },
    tag ? decodeCustomerTag(tag) : undefined,
    now,
  );
  return counted ? (await deps.stats.record([counted], now)) > 0 : false;
}

async function suppress(
  event: SesEvent,
  recipients: string[],
  customerId: string,
  hardBounce: boolean,
  complaint: boolean,
  deps: PreferenceDeps,
): Promise<FeedbackResult> {
  const now = isoNow(deps.clock);
  const updated = await deps.customers.updateProfile(customerId, (profile) => {
    // Feedback about an address the customer no longer uses changes nothing for the customer.
    if (!profile.email || !recipients.includes(profile.email.toLowerCase())) return undefined;
    const suppression: Suppression = {
      reason: hardBounce ? 'hard-bounce' : 'complaint',
      at: now,
      address: profile.email,
      blocksTransactional: hardBounce || profile.suppression?.blocksTransactional === true,
    };
    return {
      next: { ...profile, suppression, updatedAt: now },
      records: [
        {
          customerId,
          field: 'suppression',
          from: profile.suppression?.reason,
          to: suppression.reason,
          at: now,
          source: hardBounce ? 'bounce' : 'complaint',
          id: randomUUID(),
        },
      ],
    };
  });
  if (!updated?.suppression) return 'unknown-customer';
  if (complaint) await unsubscribe(customerId, 'all', 'complaint', deps);
  logger.info('address suppressed', { customerId, reason: updated.suppression.reason, messageId: event.mail.messageId });
  return 'suppressed';
}
