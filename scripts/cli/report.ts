/**
 * `npx tactful report [campaign] [--since 7d] [--until YYYY-MM-DD] [--json]`: campaign results from the
 * admin API (GET /admin/api/reports) as tables, or the API's JSON as it is (docs/results.md).
 */
import type { CampaignReport, CampaignResults, FunnelResult, HoldoutLift } from '../../functions/usecases/campaignReport';

export interface ReportOptions {
  campaign?: string;
  since?: string;
  until?: string;
  json?: boolean;
}

type AdminGet = (method: 'GET', path: string) => Promise<unknown>;

export async function report(options: ReportOptions, admin: AdminGet): Promise<void> {
  const query = new URLSearchParams({
    ...(options.campaign ? { campaign: options.campaign } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  }).toString();
  const result = (await admin('GET', `/admin/api/reports${query ? `?${query}` : ''}`)) as CampaignReport;
  if (options.json) return void console.log(JSON.stringify(result, null, 2));
  console.log(formatReport(result));
}

const pct = (rate: number | null): string => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
const points = (difference: number): string => `${difference >= 0 ? '+' : '−'}${Math.abs(difference * 100).toFixed(1)} pts`;
const money = (amounts: Record<string, number>): string =>
  Object.entries(amounts)
    .map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`)
    .join(' + ') || '–';

const COLUMNS: [string, (r: FunnelResult) => string][] = [
  ['jobs', (r) => String(r.counts.jobs)],
  ['sent', (r) => String(r.counts.sent)],
  ['skipped', (r) => String(r.counts.skipped)],
  ['failed', (r) => String(r.counts.failed)],
  ['unknown', (r) => String(r.counts.unknownOutcome)],
  ['delivered', (r) => String(r.counts.delivered)],
  ['opened', (r) => String(r.counts.opened)],
  ['clicked', (r) => String(r.counts.clicked)],
  ['bounced', (r) => String(r.counts.bounced)],
  ['complaints', (r) => String(r.counts.complained)],
  ['unsubs', (r) => String(r.counts.unsubscribed)],
  ['orders', (r) => String(r.counts.orders)],
  ['revenue', (r) => money(r.counts.revenue)],
  ['open', (r) => pct(r.rates.openRate)],
  ['click', (r) => pct(r.rates.clickRate)],
  ['placed order', (r) => pct(r.rates.placedOrderRate)],
  ['rev/recipient', (r) => money(r.rates.revenuePerRecipient)],
  ['opt-out', (r) => pct(r.rates.optOutRate)],
  ['complaint', (r) => pct(r.rates.complaintRate)],
];

function table(rows: [string, FunnelResult][], columns = COLUMNS): string {
  const cells = [['', ...columns.map(([name]) => name)], ...rows.map(([label, r]) => [label, ...columns.map(([, cell]) => cell(r))])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function liftLine(label: string, lift: HoldoutLift): string {
  const group = (g: HoldoutLift['recipients']) => `${pct(g.conversionRate)} of ${g.journeys}`;
  const both = `recipients ${group(lift.recipients)} vs holdout ${group(lift.holdout)}`;
  if (lift.notEnoughData) {
    const { journeysPerGroup, conversions } = lift.minimum;
    const have = lift.recipients.conversions + lift.holdout.conversions;
    const needs = `needs ${journeysPerGroup} journeys in each group and ${conversions} conversions`;
    return `${label}: not enough data (${both} journeys, ${have} conversion${have === 1 ? '' : 's'}; ${needs})`;
  }
  const relative =
    lift.relativeLift === null ? '' : `, ${lift.relativeLift >= 0 ? '+' : '−'}${Math.abs(lift.relativeLift * 100).toFixed(0)}% relative`;
  const verdict = lift.significant ? 'significant' : 'not significant';
  const interval = `95% CI ${points(lift.interval!.lower)} to ${points(lift.interval!.upper)}`;
  return `${label}: ${both} journeys converted: ${points(lift.difference!)} (${interval})${relative}, ${verdict}`;
}

const thousands = (n: number): string => n.toLocaleString('en-US');

/** "open rate 41.0% of 1,204 tracked recipients; 3,310 sent without tracking": the rates say of whom they speak. */
export function trackingLine(r: FunnelResult): string {
  const { trackedRecipients, sentWithoutTracking } = r.tracking;
  const rates = `open rate ${pct(r.rates.openRate)} and click rate ${pct(r.rates.clickRate)}`;
  const recipients = `${thousands(trackedRecipients)} tracked recipient${trackedRecipients === 1 ? '' : 's'}`;
  return `${rates} of ${recipients}; ${thousands(sentWithoutTracking)} sent without tracking`;
}

function formatCampaign(c: CampaignResults): string {
  const lines = [`${c.campaignId}${c.name ? ` — ${c.name}` : ''}`, ''];
  const rows: [string, FunnelResult][] = [
    ['total', c.totals],
    ...c.steps.map((s): [string, FunnelResult] => [`step ${s.stepId}`, s]),
    ...c.variants.map((v): [string, FunnelResult] => [`variant ${v.variant}`, v]),
  ];
  lines.push(table(rows), '', trackingLine(c.totals));
  const skipped = Object.entries(c.totals.counts.skippedBy).map(([reason, n]) => `${reason} ${n}`);
  if (skipped.length) lines.push('', `skipped: ${skipped.join(', ')}`);
  if (c.totals.rates.gmailCeilingReached)
    lines.push(`complaint rate ${pct(c.totals.rates.complaintRate)} is at or over Gmail's 0.3% ceiling`);
  lines.push('', liftLine('lift', c.lift));
  if (c.variantLift.length > 1) for (const v of c.variantLift) lines.push(liftLine(`lift of ${v.variant}`, v));
  const active = c.days.filter((d) => d.counts.jobs + d.counts.delivered + d.counts.opened + d.counts.orders + d.counts.unsubscribed > 0);
  if (active.length) {
    const byDay = COLUMNS.filter(([name]) =>
      ['sent', 'delivered', 'opened', 'clicked', 'unsubs', 'orders', 'revenue', 'open', 'click', 'placed order'].includes(name),
    );
    lines.push(
      '',
      table(
        active.map((d): [string, FunnelResult] => [d.day, d]),
        byDay,
      ),
    );
  }
  return lines.join('\n');
}

export function formatReport(result: CampaignReport): string {
  const header =
    `campaign results ${result.since} to ${result.until} ` +
    '(UTC days the emails were sent; rates per delivered email; opens and clicks per delivered email with tracking)';
  if (result.campaigns.length === 0) return `${header}\n\nno results in this range`;
  return [header, ...result.campaigns.map(formatCampaign)].join('\n\n');
}
