import { reasonWords } from '../../domain/wording/outcomes';
import type { Campaign } from '../../domain/journeys/campaign';
import type { CampaignReport, CampaignResults, FunnelCounts, FunnelResult, HoldoutLift } from '../../usecases/campaignReport';
import type { HttpResponse } from '../http';
import { html, page, type Html, type PageContext } from './html';
import { BoundedMap } from '../../lib/boundedMap';

/**
 * /admin/reports: the numbers of `npx tactful report`, with charts drawn as SVG on the server (no
 * script, no charting library to ship or trust).
 */

/** A rate as a percentage, or a dash where there is none yet. The campaign list uses it too. */
export const pct = (rate: number | null | undefined, digits = 1): string =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
const counts = new Intl.NumberFormat('en');
/** Currencies come from shops' events: bounded. */
const currencies = new BoundedMap<string, Intl.NumberFormat>(64);
const currencyFormat = (currency: string): Intl.NumberFormat =>
  currencies.get(currency) ?? currencies.keep(currency, new Intl.NumberFormat('en', { style: 'currency', currency }));
const money = (amounts: Record<string, number>): string =>
  Object.keys(amounts).length === 0
    ? '—'
    : Object.entries(amounts)
        .map(([currency, amount]) => currencyFormat(currency).format(amount))
        .join(' + ');
const count = (n: number): string => counts.format(n);

export const RANGES = ['7d', '30d', '90d'] as const;

export function reportsPage(
  ctx: PageContext,
  report: CampaignReport,
  campaigns: Campaign[],
  selected: { campaign?: string; since: string },
): HttpResponse {
  return page(
    'Reports',
    ctx,
    html`<h1>Reports</h1>
      <form method="get" action="/admin/reports" class="card filters">
        <label
          >Campaign<select name="campaign">
            <option value="">All with results</option>
            ${campaigns.map((c) => html`<option value="${c.id}" ${c.id === selected.campaign ? html` selected` : ''}>${c.name}</option>`)}
          </select></label
        >
        <label
          >Period<select name="since">
            ${RANGES.map(
              (r) => html`<option value="${r}" ${r === selected.since ? html` selected` : ''}>last ${r.replace('d', ' days')}</option>`,
            )}
          </select></label
        >
        <button type="submit" class="secondary">Show</button>
      </form>
      <p class="muted">
        ${report.since} to ${report.until} (UTC days the emails were sent). Rates are per delivered email, as in Klaviyo's benchmarks; open
        and click rates per delivered email of customers who allow tracking (only theirs can be seen); unique opens include Apple Mail
        Privacy Protection. The same as JSON:
        <code>npx tactful report${selected.campaign ? ` ${selected.campaign}` : ''} --since ${selected.since} --json</code>.
      </p>
      ${report.campaigns.length === 0 ? html`<p class="muted">No results in this period.</p>` : ''}
      ${report.campaigns.map((c) => campaignSection(c, report.definitions.gmailSpamRateCeiling))}`,
  );
}

function stat(label: string, value: string, metric: string, hint?: string, alert = false): Html {
  return html`<div class="stat${alert ? ' alerting' : ''}">
    <b data-metric="${metric}" ${alert ? html` class="error"` : ''}>${value}</b
    >${label}${hint ? html`<br /><span class="muted">${hint}</span>` : ''}
  </div>`;
}

function campaignSection(c: CampaignResults, ceiling: number): Html {
  const { counts, rates } = c.totals;
  // Opens and clicks are seen of recipients who allow tracking only: the rates say of how many.
  const [tracked, untracked] = [count(c.totals.tracking.trackedRecipients), count(c.totals.tracking.sentWithoutTracking)];
  const interrupted = counts.unknownOutcome
    ? `, ${count(counts.unknownOutcome)} interrupted mid-send (outcome unknown until SES confirms)`
    : '';
  const sent = `${count(counts.jobs)} jobs, ${count(counts.skipped)} skipped, ${count(counts.failed)} failed${interrupted}`;
  const opens = `${count(counts.opened)} unique opens of ${tracked} tracked recipients; ${untracked} sent without tracking`;
  const complaints = rates.gmailCeilingReached
    ? `at or over Gmail's ${pct(ceiling)} ceiling`
    : `${count(counts.complained)} complaints; Gmail's ceiling is ${pct(ceiling)}`;
  return html`<section class="card" data-campaign="${c.campaignId}">
    <h2>${c.name ?? c.campaignId} <span class="muted">${c.campaignId}</span></h2>
    <div class="grid">
      ${stat('sent', count(counts.sent), 'sent', sent)}
      ${stat('delivered', count(counts.delivered), 'delivered', `${pct(rates.deliveryRate)} of sent; ${count(counts.bounced)} bounced`)}
      ${stat('open rate', pct(rates.openRate), 'openRate', opens)}
      ${stat('click rate', pct(rates.clickRate), 'clickRate', `${count(counts.clicked)} unique clicks of ${tracked} tracked recipients`)}
      ${stat(
        'placed-order rate',
        pct(rates.placedOrderRate),
        'placedOrderRate',
        `${count(counts.converted)} converted, ${count(counts.orders)} orders`,
      )}
      ${stat('revenue per recipient', money(rates.revenuePerRecipient), 'revenuePerRecipient', `revenue ${money(counts.revenue)}`)}
      ${stat(
        'opt-out rate',
        pct(rates.optOutRate),
        'optOutRate',
        `${count(counts.unsubscribed)} unsubscribed — rising opt-outs say "too personal"`,
      )}
      ${stat('complaint rate', pct(rates.complaintRate, 2), 'complaintRate', complaints, rates.gmailCeilingReached)}
    </div>
    <h3>Funnel</h3>
    ${funnelChart(counts)}
    <h3>By day</h3>
    ${dailyChart(c.days)}
    <h3>Holdout lift</h3>
    ${liftSection(c.lift)}
    ${breakdown(
      'By step',
      c.steps.map((s) => [s.stepId, s]),
    )}
    ${breakdown(
      'By variant',
      c.variants.map((v) => [v.variant, v]),
    )}
    ${skipped(counts)}
  </section>`;
}

/** Horizontal bars: each stage as a share of emails sent. */
function funnelChart(counts: FunnelCounts): Html {
  const stages: [string, number][] = [
    ['sent', counts.sent],
    ['delivered', counts.delivered],
    ['opened', counts.opened],
    ['clicked', counts.clicked],
    ['converted', counts.converted],
  ];
  const max = Math.max(1, counts.sent);
  const width = 560;
  const rowHeight = 28;
  return html`<svg
    role="img"
    aria-label="Funnel: ${stages.map(([l, n]) => `${l} ${n}`).join(', ')}"
    width="${width + 200}"
    height="${stages.length * rowHeight + 8}"
    viewBox="0 0 ${width + 200} ${stages.length * rowHeight + 8}"
  >
    ${stages.map(([label, n], i) => {
      const w = Math.round((n / max) * width);
      return html`<text x="0" y="${i * rowHeight + 18}">${label}</text
        ><rect
          x="90"
          y="${i * rowHeight + 4}"
          width="${Math.max(w, n > 0 ? 2 : 0)}"
          height="20"
          rx="3"
          fill="${i === 0 ? '#0b3d2e' : '#0b6e4f'}"
          opacity="${1 - i * 0.13}"
        ></rect
        ><text x="${96 + w}" y="${i * rowHeight + 18}">${count(n)}</text>`;
    })}
  </svg>`;
}

/** Grouped bars per day: delivered, opened, clicked. */
function dailyChart(days: CampaignResults['days']): Html {
  const series = [
    { key: 'delivered', color: '#0b3d2e' },
    { key: 'opened', color: '#0b6e4f' },
    { key: 'clicked', color: '#f0b429' },
  ] as const;
  const height = 180;
  const group = Math.max(18, Math.min(60, Math.floor(700 / Math.max(1, days.length))));
  const bar = Math.max(4, Math.floor((group - 6) / series.length));
  const max = Math.max(1, ...days.map((d) => d.counts.delivered), ...days.map((d) => d.counts.opened));
  const width = 40 + days.length * group;
  const labelEvery = Math.ceil(days.length / 12);
  return html`<svg
    role="img"
    aria-label="Delivered, opened and clicked per day"
    width="${width}"
    height="${height + 40}"
    viewBox="0 0 ${width} ${height + 40}"
  >
    <line x1="36" y1="${height}" x2="${width}" y2="${height}" stroke="#cbd2d9"></line>
    <text x="0" y="12">${count(max)}</text>
    <text x="0" y="${height}">0</text>
    ${days.map(
      (d, i) =>
        html`${series.map((s, j) => {
          const value = d.counts[s.key];
          const h = Math.round((value / max) * (height - 10));
          return html`<rect x="${40 + i * group + j * bar}" y="${height - h}" width="${bar - 1}" height="${h}" fill="${s.color}"
            ><title>${d.day} ${s.key}: ${value}</title></rect
          >`;
        })}${i % labelEvery === 0 ? html`<text x="${40 + i * group}" y="${height + 16}">${d.day.slice(5)}</text>` : ''}`,
    )}
    ${series.map(
      (s, j) =>
        html`<rect x="${40 + j * 90}" y="${height + 26}" width="10" height="10" fill="${s.color}"></rect
          ><text x="${54 + j * 90}" y="${height + 35}">${s.key}</text>`,
    )}
  </svg>`;
}

function liftSection(lift: HoldoutLift): Html {
  const recipients = html`<b data-metric="liftRecipients">${count(lift.recipients.conversions)} of ${count(lift.recipients.journeys)}</b>`;
  const heldOut = html`<b data-metric="liftHoldout">${count(lift.holdout.conversions)} of ${count(lift.holdout.journeys)}</b>`;
  const sizes = html`<p>
    Recipients: ${recipients} converted (${pct(lift.recipients.conversionRate)}) · held out: ${heldOut}
    (${pct(lift.holdout.conversionRate)})
  </p>`;
  if (lift.notEnoughData || !lift.interval || lift.difference === null) {
    return html`${sizes}
      <p data-metric="lift">
        <b>Not enough data</b> to say whether the emails change behaviour: lift needs at least ${lift.minimum.journeysPerGroup} journeys in
        each group and ${lift.minimum.conversions} conversions in all.
      </p>`;
  }
  // The interval on a scale that always shows zero: does it exclude "no effect"?
  const lo = Math.min(lift.interval.lower, 0);
  const hi = Math.max(lift.interval.upper, 0);
  const span = hi - lo || 1;
  const x = (v: number) => 20 + ((v - lo) / span) * 520;
  const points = `${lift.difference >= 0 ? '+' : ''}${(lift.difference * 100).toFixed(1)}`;
  const interval = `95% interval ${(lift.interval.lower * 100).toFixed(1)} to ${(lift.interval.upper * 100).toFixed(1)}`;
  const relative = lift.relativeLift === null ? '—' : pct(lift.relativeLift);
  const verdict = lift.significant ? 'the emails make a difference' : 'could be no difference';
  return html`${sizes}
    <p data-metric="lift">Difference <b>${points} points</b> (${interval}), relative lift ${relative} — ${verdict}.</p>
    <svg role="img" aria-label="Lift interval" width="560" height="46" viewBox="0 0 560 46">
      <line x1="${x(0)}" y1="4" x2="${x(0)}" y2="40" stroke="#7b8794" stroke-dasharray="3 3"></line>
      <text x="${x(0) + 4}" y="44">0</text>
      <line x1="${x(lift.interval.lower)}" y1="20" x2="${x(lift.interval.upper)}" y2="20" stroke="#0b6e4f" stroke-width="4"></line>
      <circle cx="${x(lift.difference)}" cy="20" r="6" fill="#0b3d2e"></circle>
    </svg>`;
}

function breakdown(title: string, rows: [string, FunnelResult][]): Html {
  if (rows.length <= 1) return html``;
  return html`<h3>${title}</h3>
    <table>
      <thead>
        <tr>
          <th></th>
          <th class="num">Jobs</th>
          <th class="num">Sent</th>
          <th class="num">Delivered</th>
          <th class="num">Open rate</th>
          <th class="num">Click rate</th>
          <th class="num">Placed-order rate</th>
          <th class="num">Opt-out rate</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([name, r]) =>
            html`<tr data-row="${name}">
              <td>${name}</td>
              <td class="num">${count(r.counts.jobs)}</td>
              <td class="num">${count(r.counts.sent)}</td>
              <td class="num">${count(r.counts.delivered)}</td>
              <td class="num">${pct(r.rates.openRate)}</td>
              <td class="num">${pct(r.rates.clickRate)}</td>
              <td class="num">${pct(r.rates.placedOrderRate)}</td>
              <td class="num">${pct(r.rates.optOutRate)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function skipped(counts: FunnelCounts): Html {
  const reasons = Object.entries(counts.skippedBy).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  if (reasons.length === 0) return html``;
  return html`<h3>Not sent, by reason</h3>
    <table>
      <tbody>
        ${reasons.map(
          ([reason, n]) =>
            html`<tr data-reason="${reason}">
              <td>${reasonWords(reason)} <span class="muted">(${reason})</span></td>
              <td class="num">${count(n ?? 0)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
