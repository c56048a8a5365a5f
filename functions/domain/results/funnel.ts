import type { SkipReason } from '../journeys/job';
import { isCounterName, PLAIN_COUNTERS } from './counters';

/**
 * Counts and rates in the terms marketers know from Klaviyo's benchmarks (docs/results.md). Rates are
 * fractions (0.25 = 25 %) per recipient, and recipients are the emails SES *delivered*: an email that
 * bounced never reached anyone, so it counts in the bounce rate and in nothing else. A rate whose
 * denominator is zero is null, never 0 — "no data" and "nobody opened" are different answers.
 * Opens and clicks are only seen of recipients who allowed tracking, so their rates are per delivered
 * email *with tracking*, and a report says of how many (trackedShare).
 */
export interface FunnelCounts {
  /** Job steps that reached an outcome: sent + failed + skipped + unknownOutcome. */
  jobs: number;
  sent: number;
  /** Of sent and delivered: the emails whose recipient allowed open and click tracking. */
  sentTracked: number;
  failed: number;
  /** Claimed by a process that died mid-send and not (yet) confirmed by SES: maybe sent, never resent. */
  unknownOutcome: number;
  skipped: number;
  skippedBy: Partial<Record<SkipReason, number>>;
  delivered: number;
  deliveredTracked: number;
  /** Unique per email, as are clicked, bounced, complained and unsubscribed; only of tracked emails. */
  opened: number;
  clicked: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  /** Emails after which the recipient placed at least one attributed order. */
  converted: number;
  /** Attributed orders, and their revenue per currency (never summed across currencies). */
  orders: number;
  revenue: Record<string, number>;
  /** Journeys in the lift comparison (first email sent, or held out) and those that converted. */
  liftJourneys: number;
  liftConversions: number;
}

export interface FunnelRates {
  /** delivered / sent */
  deliveryRate: number | null;
  /** bounced / sent */
  bounceRate: number | null;
  /** unique opens / delivered with tracking (only those can be seen opening) */
  openRate: number | null;
  /** unique clicks / delivered with tracking */
  clickRate: number | null;
  /** unique clicks / unique opens */
  clickToOpenRate: number | null;
  /** converted / delivered (Klaviyo's "placed order rate") */
  placedOrderRate: number | null;
  /** revenue / delivered, per currency */
  revenuePerRecipient: Record<string, number>;
  /** unsubscribed / delivered */
  optOutRate: number | null;
  /** complained / delivered */
  complaintRate: number | null;
  /** complaintRate is at or over Gmail's 0.3 % ceiling for bulk senders */
  gmailCeilingReached: boolean;
}

/** Gmail's bulk-sender requirement: never reach a spam rate of 0.3 % (Google recommends staying below 0.1 %). */
export const GMAIL_SPAM_RATE_CEILING = 0.003;

export const emptyCounts = (): FunnelCounts => ({
  jobs: 0,
  sent: 0,
  sentTracked: 0,
  failed: 0,
  unknownOutcome: 0,
  skipped: 0,
  skippedBy: {},
  delivered: 0,
  deliveredTracked: 0,
  opened: 0,
  clicked: 0,
  bounced: 0,
  complained: 0,
  unsubscribed: 0,
  converted: 0,
  orders: 0,
  revenue: {},
  liftJourneys: 0,
  liftConversions: 0,
});

/** Stored counters (`sent`, `skipped:capped`, `revenue:EUR`, …) as counts. Unknown names are ignored. */
export function countsFromCounters(counters: Record<string, number>): FunnelCounts {
  const counts = emptyCounts();
  for (const [name, value] of Object.entries(counters)) {
    if (!isCounterName(name) || typeof value !== 'number') continue;
    if (name.startsWith('skipped:')) {
      const reason = name.slice('skipped:'.length) as SkipReason;
      counts.skippedBy[reason] = (counts.skippedBy[reason] ?? 0) + value;
      counts.skipped += value;
    } else if (name.startsWith('revenue:')) {
      const currency = name.slice('revenue:'.length);
      counts.revenue[currency] = money((counts.revenue[currency] ?? 0) + value);
    } else {
      const plain = counts as unknown as Record<string, number>;
      plain[name] = (plain[name] ?? 0) + value;
    }
  }
  return counts;
}

export function addCounts(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  const sum = emptyCounts();
  // Every stored counter, plus skipped (the sum of skipped:<reason>): a new counter is added up without a change here.
  for (const key of [...PLAIN_COUNTERS, 'skipped'] as const) {
    sum[key] = a[key] + b[key];
  }
  for (const side of [a, b]) {
    for (const [reason, n] of Object.entries(side.skippedBy) as [SkipReason, number][])
      sum.skippedBy[reason] = (sum.skippedBy[reason] ?? 0) + n;
    for (const [currency, amount] of Object.entries(side.revenue)) sum.revenue[currency] = money((sum.revenue[currency] ?? 0) + amount);
  }
  return sum;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Amounts are decimals in DynamoDB; sums in JavaScript are rounded back to a cent's hundredth. */
const money = (amount: number): number => Math.round(amount * 10_000) / 10_000;

export function ratesOf(c: FunnelCounts): FunnelRates {
  const complaintRate = ratio(c.complained, c.delivered);
  const revenuePerRecipient: Record<string, number> = {};
  if (c.delivered > 0)
    for (const [currency, amount] of Object.entries(c.revenue)) revenuePerRecipient[currency] = money(amount / c.delivered);
  return {
    deliveryRate: ratio(c.delivered, c.sent),
    bounceRate: ratio(c.bounced, c.sent),
    openRate: ratio(c.opened, c.deliveredTracked),
    clickRate: ratio(c.clicked, c.deliveredTracked),
    clickToOpenRate: ratio(c.clicked, c.opened),
    placedOrderRate: ratio(c.converted, c.delivered),
    revenuePerRecipient,
    optOutRate: ratio(c.unsubscribed, c.delivered),
    complaintRate,
    gmailCeilingReached: complaintRate !== null && complaintRate >= GMAIL_SPAM_RATE_CEILING,
  };
}

/** Of how many the open and click rates speak, and how many went without tracking (stated beside the rates). */
export function trackedShare(c: Pick<FunnelCounts, 'sent' | 'sentTracked' | 'deliveredTracked'>): {
  trackedRecipients: number;
  sentWithoutTracking: number;
} {
  return { trackedRecipients: c.deliveredTracked, sentWithoutTracking: Math.max(0, c.sent - c.sentTracked) };
}
