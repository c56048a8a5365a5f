import { isoNow } from './ports/clock';
import type { Jobs } from './ports/jobs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeCustomerTag, decodeJourneyTag } from '../domain/sending/sesTags';
import { confirmFromSes, type ConfirmationResult } from './sendConfirmation';
import type { Suppression } from '../domain/customers/profile';
import { sesEventCount, wasTracked, type Count } from '../domain/results/counters';
import type { Stats } from './ports/stats';
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
  /** Campaign results; a batch's SES events are counted together (one write per row they share). */
  stats?: Pick<Stats, 'record' | 'recordEach'>;
}

/** Events that prove SES took the email: they settle a send of unknown outcome (sendConfirmation.ts). */
const PROOF_OF_SENDING = new Set(['Send', 'Delivery', 'Bounce', 'Complaint']);

/** One SES event (a batch of one: see applySesFeedbackBatch). */
export async function applySesFeedback(event: SesEvent, deps: FeedbackDeps): Promise<FeedbackResult> {
  const [result] = await applySesFeedbackBatch([event], deps);
  if (result!.status === 'rejected') throw result!.reason;
  return result!.value;
}

/**
 * A queue batch of SES events, each with its own fate: suppressions and confirmations event by event
 * (all at once), then the batch's counts together — the events that count on one row of the results
 * (a batch's deliveries of one campaign step, usually) add with one write, each still once per email
 * by its marker. An event whose count fails fails alone, its marker removed, so SES's redelivery
 * counts it.
 */
export async function applySesFeedbackBatch(events: SesEvent[], deps: FeedbackDeps): Promise<PromiseSettledResult<FeedbackResult>[]> {
  const applied = await Promise.allSettled(events.map((event) => suppressAndConfirm(event, deps)));
  const counts = applied.map((a, n) => (a.status === 'fulfilled' ? countOf(events[n]!, a.value.type, a.value.tag, deps) : undefined));
  const wanted = counts.flatMap((c, n) => (c ? [{ c, n }] : []));
  const recorded = new Map<number, PromiseSettledResult<boolean>>();
  if (deps.stats && wanted.length > 0) {
    const each = await deps.stats.recordEach(
      wanted.map((w) => w.c),
      isoNow(deps.clock),
    );
    wanted.forEach((w, k) => recorded.set(w.n, each[k]!));
  }
  return applied.map((a, n): PromiseSettledResult<FeedbackResult> => {
    if (a.status === 'rejected') return a;
    const count = recorded.get(n);
    if (count?.status === 'rejected') return count;
    return { status: 'fulfilled', value: resultOf(events[n]!, a.value, count?.value === true) };
  });
}

interface Applied {
  type: string | undefined;
  tag: string | undefined;
  hardBounce: boolean;
  complaint: boolean;
  suppressed: FeedbackResult | undefined;
  confirmed: ConfirmationResult;
}

async function suppressAndConfirm(event: SesEvent, deps: FeedbackDeps): Promise<Applied> {
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
  // Counted after the suppression (by the batch): a failed count fails the event, SES's redelivery
  // suppresses again (harmless) and counts, since a failed count leaves no marker behind.
  const confirmed = await confirm(event, type, tag, deps);
  return { type, tag, hardBounce, complaint, suppressed, confirmed };
}

function resultOf(event: SesEvent, applied: Applied, counted: boolean): FeedbackResult {
  const { suppressed, confirmed, hardBounce, complaint, tag, type } = applied;
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

function countOf(event: SesEvent, type: string | undefined, tag: string | undefined, deps: FeedbackDeps): Count | undefined {
  if (!deps.stats) return undefined;
  return sesEventCount(
    { type, messageId: event.mail.messageId, tags: event.mail.tags, sentAt: event.mail.timestamp },
    tag ? decodeCustomerTag(tag) : undefined,
    isoNow(deps.clock),
  );
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
