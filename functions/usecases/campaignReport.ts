import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Stats, StatsRow } from './ports/stats';
import { HOLDOUT_VARIANT } from '../domain/results/counters';
import {
  addCounts,
  countsFromCounters,
  emptyCounts,
  GMAIL_SPAM_RATE_CEILING,
  ratesOf,
  trackedShare,
  type FunnelCounts,
  type FunnelRates,
} from '../domain/results/funnel';
import { holdoutLift, LIFT_MINIMUM, type HoldoutLift } from '../domain/results/lift';
import { reportRange } from '../domain/results/range';

export type { FunnelCounts, FunnelRates } from '../domain/results/funnel';
export type { HoldoutLift, Interval, LiftGroup } from '../domain/results/lift';
export { InvalidReportRangeError } from '../domain/results/range';

/**
 * The campaign results marketers read (docs/results.md): per campaign, its totals, steps, variants and
 * days, with rates and holdout lift. Built from the counter rows only — a few Queries, no table scan —
 * and plain JSON, so the CLI prints it and the admin page charts it.
 */
export interface FunnelResult {
  counts: FunnelCounts;
  rates: FunnelRates;
  /** Of how many recipients the open and click rates speak, and how many emails went without tracking. */
  tracking: { trackedRecipients: number; sentWithoutTracking: number };
}

export interface CampaignResults {
  campaignId: string;
  /** From the catalog, when the campaign is still there. */
  name?: string;
  totals: FunnelResult;
  /** In the campaign's step order (steps no longer in the campaign last). */
  steps: (FunnelResult & { stepId: string })[];
  /** Variants in the campaign's order, then `default`, then `holdout`. */
  variants: (FunnelResult & { variant: string })[];
  /** Every day of the range, oldest first, zeros included: the series for charts. */
  days: (FunnelResult & { day: string })[];
  /** The stored rows: one per day, step and variant that had anything. */
  rows: (FunnelResult & { day: string; stepId: string; variant: string })[];
  /** All recipients against the holdout. */
  lift: HoldoutLift;
  /** Each variant's recipients against the same holdout. */
  variantLift: (HoldoutLift & { variant: string })[];
}

export interface CampaignReport {
  /** First and last UTC day covered, both included. */
  since: string;
  until: string;
  generatedAt: string;
  campaigns: CampaignResults[];
  /** The rules the numbers follow, so a reader of the JSON needs no other source. */
  definitions: {
    recipients: 'delivered';
    /** Opens and clicks are seen only of recipients who allowed tracking: their rates are per tracked delivery. */
    openAndClickRecipients: 'delivered with tracking';
    dayOf: 'send';
    gmailSpamRateCeiling: number;
    lift: { confidence: 0.95; interval: 'newcombe-hybrid-score'; minimum: typeof LIFT_MINIMUM };
  };
}

export interface CampaignReportQuery {
  /** One campaign; absent: every campaign with results in the range. */
  campaignId?: string;
  /** `7d` or YYYY-MM-DD (default 30d). */
  since?: string;
  /** YYYY-MM-DD (default today, UTC). */
  until?: string;
}

export interface CampaignReportDeps {
  stats: Pick<Stats, 'rows' | 'campaigns'>;
  clock: Clock;
  /** For names and the order of steps and variants. */
  catalog?: Pick<Catalog, 'campaign'>;
}

/** Throws InvalidReportRangeError for a since or until it cannot read. */
export async function campaignReport(query: CampaignReportQuery, deps: CampaignReportDeps): Promise<CampaignReport> {
  const now = isoNow(deps.clock);
  const range = reportRange(query, now.slice(0, 10));
  const ids = query.campaignId !== undefined ? [query.campaignId] : await deps.stats.campaigns(range.since, range.until);
  const campaigns = await Promise.all(
    ids.map(async (campaignId) => {
      const [rows, campaign] = await Promise.all([
        deps.stats.rows(campaignId, range.since, range.until),
        deps.catalog?.campaign(campaignId),
      ]);
      return campaignResults(campaignId, rows, range.days, campaign);
    }),
  );
  return {
    since: range.since,
    until: range.until,
    generatedAt: now,
    campaigns,
    definitions: {
      recipients: 'delivered',
      openAndClickRecipients: 'delivered with tracking',
      dayOf: 'send',
      gmailSpamRateCeiling: GMAIL_SPAM_RATE_CEILING,
      lift: { confidence: 0.95, interval: 'newcombe-hybrid-score', minimum: LIFT_MINIMUM },
    },
  };
}

const result = (counts: FunnelCounts): FunnelResult => ({ counts, rates: ratesOf(counts), tracking: trackedShare(counts) });

function campaignResults(
  campaignId: string,
  rows: StatsRow[],
  days: string[],
  campaign: { name: string; steps: { id: string }[]; variants?: { id: string }[] } | undefined,
): CampaignResults {
  const counted = rows.map((row) => ({ ...row, counts: countsFromCounters(row.counters) }));
  const sum = (filter: (row: StatsRow) => boolean): FunnelCounts =>
    counted.filter(filter).reduce((total, row) => addCounts(total, row.counts), emptyCounts());
  const stepOrder = orderBy(campaign?.steps.map((s) => s.id) ?? []);
  const variantOrder = orderBy([...(campaign?.variants?.map((v) => v.id) ?? []), 'default', HOLDOUT_VARIANT]);
  const stepIds = [...new Set(counted.map((r) => r.stepId))].sort(stepOrder);
  const variants = [...new Set(counted.map((r) => r.variant))].sort(variantOrder);

  const treated = variants.filter((v) => v !== HOLDOUT_VARIANT);
  const holdout = sum((r) => r.variant === HOLDOUT_VARIANT);
  const heldOut = { journeys: holdout.liftJourneys, conversions: holdout.liftConversions };
  const recipients = sum((r) => r.variant !== HOLDOUT_VARIANT);

  return {
    campaignId,
    ...(campaign ? { name: campaign.name } : {}),
    totals: result(sum(() => true)),
    steps: stepIds.map((stepId) => ({ stepId, ...result(sum((r) => r.stepId === stepId)) })),
    variants: variants.map((variant) => ({ variant, ...result(sum((r) => r.variant === variant)) })),
    days: days.map((day) => ({ day, ...result(sum((r) => r.day === day)) })),
    rows: counted
      .sort((a, b) => a.day.localeCompare(b.day) || stepOrder(a.stepId, b.stepId) || variantOrder(a.variant, b.variant))
      .map(({ day, stepId, variant, counts }) => ({ day, stepId, variant, ...result(counts) })),
    lift: holdoutLift({ journeys: recipients.liftJourneys, conversions: recipients.liftConversions }, heldOut),
    variantLift: treated.map((variant) => {
      const v = sum((r) => r.variant === variant);
      return { variant, ...holdoutLift({ journeys: v.liftJourneys, conversions: v.liftConversions }, heldOut) };
    }),
  };
}

/** Known names in the given order, unknown ones after them alphabetically. */
function orderBy(known: string[]): (a: string, b: string) => number {
  const rank = (id: string) => {
    const i = known.indexOf(id);
    return i === -1 ? known.length : i;
  };
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}
