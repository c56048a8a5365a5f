import type { Campaign } from '../../domain/journeys/campaign';
import type { SimulationResult } from '../../usecases/simulateCampaign';
import type { HttpResponse } from '../http';
import { csrfField, html, may, page, timeFor, type Html, type PageContext } from './html';
import { campaignSentences, conditionsWords, stepTiming } from '../../domain/wording/conditions';
import { reasonWords, topicWords } from '../../domain/wording/outcomes';
import type { PausedCampaign } from '../../adapters/dynamo/authoringStore';
import { pct } from './reportPages';

/** The campaigns' console pages: the list with headline results, and a campaign with its steps and simulation. */

export interface CampaignRow {
  campaign: Campaign;
  /** Headline numbers over the report window, when results are available. */
  headline?: { sent: number; openRate: number | null; clickRate: number | null; conversions: number; optOutRate: number | null };
  templatesPublished: boolean;
}

export function campaignsPage(ctx: PageContext, rows: CampaignRow[], window: string, drafts: string[] = []): HttpResponse {
  return page(
    'Campaigns',
    ctx,
    html`<h1>Campaigns</h1>
      ${may(ctx, 'editor') ? html`<p><a class="button" href="/admin/campaigns/new">New campaign</a></p>` : ''}
      <table>
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Status</th>
            <th>Topic</th>
            <th>Steps</th>
            <th class="num">Sent (${window})</th>
            <th class="num">Open rate</th>
            <th class="num">Click rate</th>
            <th class="num">Orders</th>
            <th class="num">Opt-out rate</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ({ campaign: c, headline: h, templatesPublished }) =>
              html`<tr>
                <td>
                  <a href="/admin/campaigns/${encodeURIComponent(c.id)}">${c.name}</a><br /><span class="muted"
                    >${c.id} · v${c.version}</span
                  >
                </td>
                <td>
                  ${
                    templatesPublished ? html`<span class="tag">live</span>` : html`<span class="error">template missing</span>`
                  }${c.holdout ? html` <span class="muted">holdout ${pct(c.holdout)}</span>` : ''}
                </td>
                <td>${topicWords(c.topic)}</td>
                <td>${c.steps.length}</td>
                <td class="num">${h?.sent ?? 0}</td>
                <td class="num">${pct(h?.openRate)}</td>
                <td class="num">${pct(h?.clickRate)}</td>
                <td class="num">${h?.conversions ?? 0}</td>
                <td class="num">${pct(h?.optOutRate)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${rows.length === 0 ? html`<p class="muted">No campaigns deployed yet: npx tactful campaigns deploy.</p>` : ''}
      ${
        drafts.length
          ? html`<h2>Drafts not published yet</h2>
              <ul id="campaign-drafts">
                ${drafts.map((id) => html`<li><a href="/admin/campaigns/${encodeURIComponent(id)}/edit">${id}</a></li>`)}
              </ul>`
          : ''
      }`,
  );
}

export function campaignPage(ctx: PageContext, campaign: Campaign, simulation?: SimulationResult, paused?: PausedCampaign): HttpResponse {
  const id = encodeURIComponent(campaign.id);
  const holds =
    campaign.whenPaused === 'skip'
      ? 'Due steps are skipped while it is paused.'
      : 'Due steps are held while it is paused, and go out after a resume.';
  return page(
    campaign.name,
    ctx,
    html`<p><a href="/admin">← Campaigns</a></p>
      <h1>${campaign.name}</h1>
      <p><a class="button" href="/admin/campaigns/${id}/edit">${may(ctx, 'editor') ? 'Edit the campaign' : 'Open the draft'}</a></p>
      <section class="card" id="pause">
        ${
          paused
            ? html`<p><span class="error">Paused</span> since ${timeFor(ctx, paused.pausedAt)} by ${paused.pausedBy}. ${holds}</p>`
            : html`<p><span class="tag">running</span> ${holds}</p>`
        }
        ${
          may(ctx, 'publisher')
            ? html`<form method="post" action="/admin/campaigns/${id}/${paused ? 'resume' : 'pause'}">
                ${csrfField(ctx.csrf)}
                <button type="submit" ${paused ? '' : html` class="secondary"`}>${paused ? 'Resume campaign' : 'Pause campaign'}</button>
              </form>`
            : ''
        }
      </section>
      <section class="card">
        <ul id="settings">
          ${campaignSentences(campaign).map((sentence) => html`<li>${sentence}</li>`)}
        </ul>
        <table>
          <thead>
            <tr>
              <th>Step</th>
              <th>When</th>
              <th>Template</th>
              <th>Conditions</th>
            </tr>
          </thead>
          <tbody>
            ${campaign.steps.map(
              (s) =>
                html`<tr>
                  <td>${s.id}</td>
                  <td>${stepTiming(s)}</td>
                  <td>
                    <a href="/admin/templates/${encodeURIComponent(s.template)}">${s.template}</a>
                    ${
                      s.templateVersion
                        ? html`<span class="tag">pinned ${s.templateVersion}</span>`
                        : html`<span class="muted">latest</span>`
                    }
                  </td>
                  <td>${s.conditions?.length ? `only if ${conditionsWords(s.conditions)}` : html`<span class="muted">none</span>`}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${
          campaign.variants?.length ? html`<p>Variants: ${campaign.variants.map((v) => `${v.id} (weight ${v.weight})`).join(', ')}</p>` : ''
        }
        <p><a href="/admin/reports?campaign=${id}">Results →</a></p>
      </section>
      <h2>Simulate</h2>
      <section class="card">
        <p>
          What this campaign would do now for every current customer — the real consent, caps, quiet hours and rendering decide, and nothing
          is sent or written.
        </p>
        ${
          may(ctx, 'editor')
            ? html`<form method="post" action="/admin/campaigns/${id}/simulate">
                ${csrfField(ctx.csrf)}<button type="submit">Run simulation</button>
              </form>`
            : ''
        }
        ${simulation ? simulationResult(simulation) : ''}
      </section>`,
  );
}

function simulationResult(result: SimulationResult): Html {
  const reasons = Object.entries(result.notSent).sort((a, b) => b[1] - a[1]);
  return html`<div id="simulation">
    <div class="grid">
      <div class="stat"><b>${result.customers}</b>customers considered</div>
      <div class="stat"><b>${result.wouldSend}</b>would be sent</div>
      <div class="stat"><b>${result.customers - result.wouldSend}</b>would not</div>
    </div>
    ${
      reasons.length
        ? html`<h3>Why not</h3>
            <table>
              <tbody>
                ${reasons.map(
                  ([reason, n]) =>
                    html`<tr>
                      <td>${reasonWords(reason)} <span class="muted">(${reason})</span></td>
                      <td class="num">${n}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }
    ${
      Object.keys(result.perVariant).length > 1
        ? html`<h3>Per variant</h3>
            <table>
              <tbody>
                ${Object.entries(result.perVariant).map(
                  ([v, n]) =>
                    html`<tr>
                      <td>${v}</td>
                      <td class="num">${n.send} sent</td>
                      <td class="num">${n.notSent} not</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }
    ${
      result.samples.length
        ? html`<h3>Samples</h3>
            <div class="frames">
              ${result.samples.map(
                (s) =>
                  html`<figure>
                    <figcaption>${s.subject} <span class="muted">(${s.locale}, ${s.variant})</span></figcaption>
                    <iframe class="mobile" sandbox="" title="Sample email: ${s.subject}" srcdoc="${s.html}"></iframe>
                  </figure>`,
              )}
            </div>`
        : ''
    }
  </div>`;
}
