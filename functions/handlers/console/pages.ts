import type { TemplatePointer } from '../../adapters/dynamo/catalogStore';
import type { Campaign } from '../../domain/journeys/campaign';
import { SUPPORTED_LOCALES, type Locale } from '../../domain/events/events';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { ValidationReport } from '../../publishing/templateValidation';
import type { SimulationResult } from '../../usecases/simulateCampaign';
import type { Preview, TemplateHistory } from '../../usecases/templates';
import type { HttpResponse } from '../http';
import { csrfField, html, may, page, timeFor, type Html, type PageContext } from './html';
import { campaignSentences, conditionsWords, stepTiming } from '../../domain/wording/conditions';
import { reasonWords, topicWords } from '../../domain/wording/outcomes';
import type { PausedCampaign, PendingApproval } from '../../adapters/dynamo/authoringStore';
import { pct } from './reportPages';

/** The console's pages: server-rendered, no scripts, every value escaped by `html`. */

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

export function templatesPage(ctx: PageContext, pointers: TemplatePointer[], drafts: string[], catalogDrafts: string[] = []): HttpResponse {
  const names = [...new Set([...pointers.map((p) => p.name), ...drafts, ...catalogDrafts])].sort();
  // A template only drafted in the console has no page of versions yet: its name opens the editor.
  const hrefOf = (name: string) =>
    `/admin/templates/${encodeURIComponent(name)}${pointers.some((p) => p.name === name) || drafts.includes(name) ? '' : '/edit'}`;
  return page(
    'Templates',
    ctx,
    html`<h1>Templates</h1>
      ${may(ctx, 'editor') ? html`<p><a class="button" href="/admin/templates/new">New template</a></p>` : ''}
      <table>
        <thead>
          <tr>
            <th>Template</th>
            <th>Sends version</th>
            <th>Since</th>
            <th>Working copy</th>
          </tr>
        </thead>
        <tbody>
          ${names.map((name) => {
            const p = pointers.find((x) => x.name === name);
            return html`<tr>
              <td><a href="${hrefOf(name)}">${name}</a>${catalogDrafts.includes(name) ? html` <span class="muted">(draft)</span>` : ''}</td>
              <td>
                ${
                  p
                    ? html`<code>${p.version}</code>${p.rolledBackAt ? html` <span class="tag">rolled back</span>` : ''}`
                    : html`<span class="muted">not published</span>`
                }
              </td>
              <td>${timeFor(ctx, p?.publishedAt)}</td>
              <td>${drafts.includes(name) ? 'templates/' + name : html`<span class="muted">—</span>`}</td>
            </tr>`;
          })}
        </tbody>
      </table>`,
  );
}

export interface TemplatePageInput {
  name: string;
  history?: TemplateHistory;
  /** The version shown (source, preview): the chosen one, or LATEST. */
  shown?: PublishedTemplate;
  locale: Locale;
  sample?: string;
  /** The working copy's validation, where the repository is at hand (npm start). */
  draft?: ValidationReport;
  preview?: Preview;
  /** The draft in the catalog (saved through the admin API or the CLI), and a publish waiting for approval. */
  catalogDraft?: { revision: number; savedAt: string; savedBy: string; pending?: PendingApproval };
}

export function templatePage(ctx: PageContext, input: TemplatePageInput): HttpResponse {
  const { name, history, shown, draft } = input;
  const enc = encodeURIComponent(name);
  const samples = Object.keys(shown?.samples ?? {}).sort();
  const reads = input.preview ? input.preview.fieldsUsed.join(', ') || 'nothing personal' : '';
  const previewHeading = input.preview
    ? html`<p>Subject: <b>${input.preview.email.subject}</b><br /><span class="muted">Reads: ${reads}</span></p>`
    : html`<p class="muted">This version has no samples to preview with.</p>`;
  const frameQuery = shown
    ? `version=${shown.version}&locale=${input.locale}${input.sample ? `&sample=${encodeURIComponent(input.sample)}` : ''}`
    : '';
  return page(
    name,
    { ...ctx, section: 'templates' },
    html`<p><a href="/admin/templates">← Templates</a></p>
      <h1>${name}</h1>
      <p><a class="button" href="/admin/templates/${enc}/edit">${may(ctx, 'editor') ? 'Edit in the editor' : 'Open the draft'}</a></p>
      ${input.catalogDraft ? catalogDraftSection(ctx, name, input.catalogDraft, input.locale) : ''}
      ${draft ? draftSection(ctx, name, draft, history?.latest?.version, input.locale) : ''}
      ${
        shown
          ? html`<h2>Preview</h2>
              <section class="card">
                <form method="get" action="/admin/templates/${enc}">
                  <label
                    >Version<select name="version">
                      ${history?.versions.map(
                        (v) =>
                          html`<option value="${v.version}" ${v.version === shown.version ? html` selected` : ''}>
                            ${v.version}${v.latest ? ' (sending)' : ''}
                          </option>`,
                      )}
                    </select></label
                  >
                  <label
                    >Locale<select name="locale">
                      ${SUPPORTED_LOCALES.map((l) => html`<option${l === input.locale ? html` selected` : ''}>${l}</option>`)}
                    </select></label
                  >
                  <label
                    >Sample recipient<select name="sample">
                      ${samples.map(
                        (s) =>
                          html`<option value="${s}" ${s === input.preview?.sample ? html` selected` : ''}>
                            ${s}${shown.samples?.[s]?.description ? ` — ${shown.samples[s]!.description}` : ''}
                          </option>`,
                      )}
                    </select></label
                  >
                  <button type="submit" class="secondary">Show</button>
                </form>
                ${previewHeading}
                ${
                  input.preview
                    ? html`<div class="frames">
                          <figure>
                            <figcaption>Desktop</figcaption>
                            <iframe
                              class="desktop"
                              sandbox=""
                              title="Desktop preview"
                              src="/admin/templates/${enc}/preview?${frameQuery}"
                            ></iframe>
                          </figure>
                          <figure>
                            <figcaption>Mobile (375 px)</figcaption>
                            <iframe
                              class="mobile"
                              sandbox=""
                              title="Mobile preview"
                              src="/admin/templates/${enc}/preview?${frameQuery}"
                            ></iframe>
                          </figure>
                        </div>
                        <details>
                          <summary>Plain-text part</summary>
                          <pre>${input.preview.email.text}</pre>
                        </details>`
                    : ''
                }
              </section>
              ${
                may(ctx, 'editor')
                  ? html`<h2>Test send</h2>
                      <section class="card">
                        <form method="post" action="/admin/templates/${enc}/test-send">
                          ${csrfField(ctx.csrf)} <input type="hidden" name="version" value="${shown.version}" /><input
                            type="hidden"
                            name="locale"
                            value="${input.locale}"
                          />${input.preview ? html`<input type="hidden" name="sample" value="${input.preview.sample}" />` : ''}
                          <label>Send this preview to<input type="email" name="to" required placeholder="you@shop.example" /></label>
                          <button type="submit">Send test</button>
                        </form>
                      </section>`
                  : ''
              }`
          : html`<p class="muted">Not published yet.</p>`
      }
      ${history ? versionsSection(ctx, name, history, input.locale) : ''}
      ${
        shown?.source
          ? html`<h2>Source of ${shown.version}</h2>
              <section class="card">
                ${Object.entries(shown.source)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(
                    ([file, text]) =>
                      html`<details>
                        <summary>${file}</summary>
                        <pre>${text}</pre>
                      </details>`,
                  )}
              </section>`
          : ''
      }`,
  );
}

function draftSection(ctx: PageContext, name: string, draft: ValidationReport, sending: string | undefined, locale: Locale): Html {
  const errors = draft.problems.filter((p) => p.severity === 'error');
  const unpublished = draft.published !== undefined && draft.published.version !== sending;
  const largestKb = Math.ceil(Math.max(0, ...draft.renders.map((r) => r.htmlBytes)) / 1024);
  const verdict = draft.ok
    ? html`<span class="tag">valid</span> ${draft.renders.length} sample renders, largest HTML ${largestKb} KB`
    : html`<span class="error">${errors.length} error(s)</span>`;
  const against = !draft.published
    ? ''
    : unpublished
      ? html` · would publish as <code>${draft.published.version}</code>`
      : html` · same as the version sending`;
  const publish = html`<form method="post" action="/admin/templates/${encodeURIComponent(name)}/publish">
    ${csrfField(ctx.csrf)}<input type="hidden" name="locale" value="${locale}" />${noteField}
    <button type="submit">Publish working copy</button>
  </form>`;
  return html`<h2>Working copy <span class="muted">templates/${name}</span></h2>
    <section class="card" id="validation">
      <p>${verdict}${against}</p>
      ${
        draft.problems.length
          ? html`<table>
              <thead>
                <tr>
                  <th>Where</th>
                  <th></th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                ${draft.problems.map(
                  (p) =>
                    html`<tr>
                      <td><code>${p.file}${p.line ? `:${p.line}` : ''}</code></td>
                      <td class="${p.severity}">${p.severity}</td>
                      <td>${p.message}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : ''
      }
      ${draft.ok && unpublished && may(ctx, 'publisher') ? publish : ''}
    </section>`;
}

/** What a publish changes, in the publisher's words: kept with the version. */
const noteField = html`<label>Note (what this changes)<input name="note" maxlength="500" autocomplete="off" /></label>`;

function catalogDraftSection(ctx: PageContext, name: string, draft: NonNullable<TemplatePageInput['catalogDraft']>, locale: Locale): Html {
  const enc = encodeURIComponent(name);
  const pending = draft.pending;
  const waiting = (p: PendingApproval) =>
    `Waiting for approval: ${p.requestedBy} asked to publish ${p.summary} on ${timeFor(ctx, p.requestedAt)}` +
    `${p.note ? `: “${p.note}”` : ''}.`;
  const button = (action: string, label: string) =>
    html`<form method="post" action="/admin/templates/${enc}/${action}">
      ${csrfField(ctx.csrf)} <input type="hidden" name="locale" value="${locale}" />${action === 'publish-draft' ? noteField : ''}<button
        type="submit"
      >
        ${label}
      </button>
    </form>`;
  return html`<h2>Draft</h2>
    <section class="card" id="draft">
      <p>Revision ${draft.revision}, saved ${timeFor(ctx, draft.savedAt)} by ${draft.savedBy}.</p>
      ${pending ? html`<p class="warning">${waiting(pending)}</p>` : ''}
      ${
        may(ctx, 'publisher')
          ? pending
            ? button('approve', 'Approve and publish')
            : button('publish-draft', 'Publish draft')
          : html`<p class="muted">A publisher publishes drafts.</p>`
      }
    </section>`;
}

function versionsSection(ctx: PageContext, name: string, history: TemplateHistory, locale: Locale): Html {
  return html`<h2>Versions</h2>
    <section class="card">
      <table id="versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Published</th>
            <th>By</th>
            <th>Note</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${history.versions.map(
            (v) =>
              html`<tr>
                <td>
                  <a href="/admin/templates/${encodeURIComponent(name)}?version=${v.version}"><code>${v.version}</code></a>
                </td>
                <td>${timeFor(ctx, v.publishedAt)}</td>
                <td>${v.publishedBy ?? ''}</td>
                <td>${v.note ?? html`<span class="muted">—</span>`}</td>
                <td>
                  ${
                    v.latest
                      ? html`<span class="tag">sending${history.latest?.rolledBackAt ? ' (rolled back)' : ''}</span>`
                      : !may(ctx, 'publisher')
                        ? ''
                        : html`<form method="post" action="/admin/templates/${encodeURIComponent(name)}/rollback">
                            ${csrfField(ctx.csrf)}<input type="hidden" name="version" value="${v.version}" /><input
                              type="hidden"
                              name="locale"
                              value="${locale}"
                            /><button type="submit" class="secondary">Send this version</button>
                          </form>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
}
