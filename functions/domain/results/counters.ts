import type { LoggedSend } from './attribution';
import type { Attribution } from './attribution';
import type { Campaign } from '../journeys/campaign';
import { durationToMillis } from '../time/duration';
import { assign } from '../journeys/experiments';
import type { Job, SkipReason } from '../journeys/job';

/**
 * What marketers read (docs/results.md) is counted as it happens — a send decided, an SES event, an
 * unsubscribe, an attributed order — into one row per campaign, UTC day, step and variant. Nothing is
 * ever computed by scanning tables. This module only decides *what* to count; the stats store adds it.
 *
 * The day is the day the email was sent (or the step decided), also for what follows later: an open on
 * Tuesday of Monday's email counts on Monday. So every rate of a day is about that day's emails.
 */
export interface StatsKey {
  campaignId: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  stepId: string;
  /** A variant id, `default` for campaigns without variants, or `holdout`. */
  variant: string;
}

export const DEFAULT_VARIANT = 'default';
export const HOLDOUT_VARIANT = 'holdout';

/** Counter names as stored; `skipped:<reason>` and `revenue:<currency>` are open-ended families. */
export const PLAIN_COUNTERS = [
  'jobs',
  'sent',
  /** Of sent and delivered: the emails whose recipient allowed open and click tracking. */
  'sentTracked',
  'failed',
  'unknownOutcome',
  'delivered',
  'deliveredTracked',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
  'converted',
  'orders',
  'liftJourneys',
  'liftConversions',
] as const;
export type PlainCounter = (typeof PLAIN_COUNTERS)[number];
export type CounterName = PlainCounter | `skipped:${SkipReason}` | `revenue:${string}`;

export const isCounterName = (name: string): name is CounterName =>
  (PLAIN_COUNTERS as readonly string[]).includes(name) || /^skipped:[a-z-]+$/.test(name) || /^revenue:[A-Z]{3}$/.test(name);

/**
 * One addition to one row. `once` names the happening: the store counts it the first time only, so a
 * redelivered SES event, a repeated open or a second click on the same unsubscribe link adds nothing.
 * The marker lives in the customer's partition, so an erasure takes it along.
 */
export interface Count {
  key: StatsKey;
  add: Partial<Record<CounterName, number>>;
  once?: { customerId: string; id: string };
}

const dayOf = (iso: string): string => iso.slice(0, 10);

/** The arm a customer is in for a campaign: deterministic (experiments.ts), so it needs no storage. */
export function armOf(customerId: string, campaign: Pick<Campaign, 'id' | 'holdout' | 'variants'> | undefined): string {
  if (!campaign) return DEFAULT_VARIANT;
  const assignment = assign(customerId, campaign);
  if (assignment.heldOut) return HOLDOUT_VARIANT;
  return assignment.variant?.id ?? DEFAULT_VARIANT;
}

/**
 * A job step ended: sent, failed, or skipped with its one reason. The send path records each exactly
 * once (the job's conditional write), so this needs no marker. A journey's first email, or the decision
 * to hold it out, also enters the journey into its lift group.
 */
export function outcomeCount(
  job: Pick<Job, 'campaignId' | 'stepId' | 'stepIndex'>,
  variant: string,
  outcome: 'sent' | 'failed' | 'skipped',
  reason: SkipReason | undefined,
  at: string,
  tracked = false,
): Count {
  const add: Count['add'] = { jobs: 1 };
  if (outcome === 'skipped') add[`skipped:${reason ?? 'cancelled'}`] = 1;
  else add[outcome] = 1;
  if (outcome === 'sent' && tracked) add.sentTracked = 1;
  if ((outcome === 'sent' && job.stepIndex === 0) || reason === 'held-out') add.liftJourneys = 1;
  return { key: { campaignId: job.campaignId, day: dayOf(at), stepId: job.stepId, variant }, add };
}

/**
 * A claimed send whose process died before recording it: the email may have gone. Counted apart from
 * `failed` until SES's own event settles it (confirmedCount), so a crash is not reported as failures.
 */
export function unknownOutcomeCount(job: Pick<Job, 'campaignId' | 'stepId'>, variant: string, at: string): Count {
  return { key: { campaignId: job.campaignId, day: dayOf(at), stepId: job.stepId, variant }, add: { jobs: 1, unknownOutcome: 1 } };
}

/**
 * SES said an email of unknown outcome did go: it moves from unknown to sent on the row it was counted
 * on (the day it was closed), so totals stay whole and no job counts twice.
 */
export function confirmedCount(
  job: Pick<Job, 'campaignId' | 'stepId' | 'stepIndex'>,
  variant: string,
  closedAt: string,
  tracked = false,
): Count {
  return {
    key: { campaignId: job.campaignId, day: dayOf(closedAt), stepId: job.stepId, variant },
    add: { unknownOutcome: -1, sent: 1, ...(tracked ? { sentTracked: 1 } : {}), ...(job.stepIndex === 0 ? { liftJourneys: 1 } : {}) },
  };
}

/** What an SES event counts as; events of other types count nothing. */
const SES_COUNTERS: Record<string, PlainCounter> = {
  Delivery: 'delivered',
  Open: 'opened',
  Click: 'clicked',
  Bounce: 'bounced',
  Complaint: 'complained',
};

export interface SesEventFacts {
  type: string | undefined;
  messageId: string;
  /** SES message tags as the event carries them: campaign, step, variant and customer are ours. */
  tags: Record<string, string[]>;
  /** When SES accepted the email (`mail.timestamp`): the day the count belongs to. */
  sentAt?: string;
}

/** Whether an email's SES events say it was sent with open and click tracking (its `tracking` tag). */
export const wasTracked = (tags: Record<string, string[]>): boolean => tags['tracking']?.[0] === 'on';

/**
 * Deliveries, opens, clicks, bounces and complaints, each once per email: SES publishes an open every
 * time the pixel loads and any event may be delivered twice, so they are unique per message id.
 * Opens and clicks count only for emails sent with tracking (the recipient allowed it); a delivery of
 * such an email also counts among the tracked recipients, the rates' denominator.
 * Undefined when the event is not one we count, or does not name its campaign and customer.
 */
export function sesEventCount(event: SesEventFacts, customerId: string | undefined, fallbackAt: string): Count | undefined {
  const counter = event.type ? SES_COUNTERS[event.type] : undefined;
  const campaignId = event.tags['campaign']?.[0];
  const stepId = event.tags['step']?.[0];
  if (!counter || !campaignId || !stepId || !customerId) return undefined;
  const tracked = wasTracked(event.tags);
  if ((counter === 'opened' || counter === 'clicked') && !tracked) return undefined;
  const sentAt = event.sentAt && !Number.isNaN(Date.parse(event.sentAt)) ? new Date(event.sentAt).toISOString() : fallbackAt;
  return {
    key: { campaignId, day: dayOf(sentAt), stepId, variant: event.tags['variant']?.[0] ?? DEFAULT_VARIANT },
    add: counter === 'delivered' && tracked ? { delivered: 1, deliveredTracked: 1 } : { [counter]: 1 },
    once: { customerId, id: `${counter}#${event.messageId}` },
  };
}

/** Which email an unsubscribe link came from: carried, signed, in the link's token. */
export interface EmailRef {
  campaignId: string;
  stepId: string;
  variant: string;
}

/** An unsubscribe from an email's link, once per email however often the link is used. */
export function unsubscribeCount(customerId: string, email: EmailRef, sentAt: string): Count {
  return {
    key: { campaignId: email.campaignId, day: dayOf(sentAt), stepId: email.stepId, variant: email.variant },
    add: { unsubscribed: 1 },
    once: { customerId, id: `unsubscribed#${email.campaignId}#${email.stepId}#${sentAt}` },
  };
}

/** A journey cancelled by a shop event (an order, an emptied cart): the step it was waiting at is skipped. */
export function cancellationCount(
  job: Pick<Job, 'customerId' | 'campaignId' | 'stepId' | 'stepIndex'>,
  campaign: Campaign | undefined,
  at: string,
): Count {
  return outcomeCount(job, armOf(job.customerId, campaign), 'skipped', 'cancelled', at);
}

export interface OrderFacts {
  customerId: string;
  total: number;
  currency: string;
  placedAt: string;
}

/**
 * What an order counts. Two different questions, two rules:
 *
 * - **Attribution** (attribution.ts, last email wins, once per order): the email's `orders` and
 *   `revenue:<currency>`, and `converted` once per email however many orders follow it. Held-out
 *   customers received no email, so their attributed orders add no email revenue.
 * - **Lift**: a journey converts when an order comes within the campaign's attribution window after its
 *   first email — or after the decision to hold it out — whatever other emails came between. Both groups
 *   are measured from the same moment by the same rule; last-touch attribution would hand a held-out
 *   customer's order to any other campaign's email and bias the baseline down.
 */
export function orderCounts(
  order: OrderFacts,
  attribution: Attribution | undefined,
  recentLog: (LoggedSend & { jobId?: string; instanceId?: string })[],
  campaigns: Campaign[],
): Count[] {
  const counts: Count[] = [];
  if (attribution && !attribution.heldOut) {
    const key = {
      campaignId: attribution.campaignId,
      day: dayOf(attribution.emailAt),
      stepId: attribution.stepId,
      variant: attribution.variant,
    };
    counts.push({ key, add: { orders: 1, [`revenue:${attribution.currency}`]: attribution.revenue } });
    counts.push({
      key,
      add: { converted: 1 },
      once: {
        customerId: order.customerId,
        id: `converted#${attribution.messageId ?? `${attribution.campaignId}#${attribution.stepId}#${attribution.emailAt}`}`,
      },
    });
  }
  const orderMs = Date.parse(order.placedAt);
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const seen = new Set<string>();
  for (const entry of recentLog) {
    const campaign = byId.get(entry.campaignId);
    if (!campaign || !entry.jobId) continue;
    const heldOut = entry.outcome === 'skipped' && entry.reason === 'held-out';
    const firstSend = entry.outcome === 'sent' && entry.stepId === campaign.steps[0]?.id;
    if (!heldOut && !firstSend) continue;
    const at = Date.parse(entry.at);
    if (at > orderMs || orderMs - at > durationToMillis(campaign.attributionWindow)) continue;
    const journey = `${entry.jobId}#${entry.instanceId ?? ''}`;
    if (seen.has(journey)) continue;
    seen.add(journey);
    counts.push({
      key: {
        campaignId: entry.campaignId,
        day: dayOf(entry.at),
        stepId: entry.stepId,
        variant: heldOut ? HOLDOUT_VARIANT : (entry.variant ?? DEFAULT_VARIANT),
      },
      add: { liftConversions: 1 },
      once: { customerId: order.customerId, id: `lift#${journey}` },
    });
  }
  return counts;
}

/**
 * Counts that add to the same row, summed into one addition: a queue batch's send outcomes mostly share
 * a campaign, day, step and variant, so the batch takes one counter write instead of one per email.
 * A count with a marker (`once`) stays on its own: its marker decides whether it adds at all.
 */
export function mergeCounts(counts: Count[]): Count[] {
  const merged = new Map<string, Count>();
  const separate: Count[] = [];
  for (const count of counts) {
    if (count.once) {
      separate.push(count);
      continue;
    }
    const id = [count.key.campaignId, count.key.day, count.key.stepId, count.key.variant].join('#');
    const row = merged.get(id) ?? { key: count.key, add: {} };
    for (const [name, value] of Object.entries(count.add) as [CounterName, number][]) row.add[name] = (row.add[name] ?? 0) + value;
    merged.set(id, row);
  }
  return [...merged.values(), ...separate];
}
