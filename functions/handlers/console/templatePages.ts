import { languageName } from '../../domain/wording/languages';
import { catalogDraftSection, draftSection, versionsSection } from './templateSections';
import type { TemplatePointer } from '../../adapters/dynamo/catalogStore';
import { SUPPORTED_LOCALES, type Locale } from '../../domain/events/events';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { ValidationReport } from '../../publishing/templateValidation';
import type { Preview, TemplateHistory } from '../../usecases/templates';
import type { HttpResponse } from '../http';
import { csrfField, html, may, page, timeFor, type PageContext } from './html';
import type { PendingApproval } from '../../adapters/dynamo/authoringStore';

/** The templates' console pages: the list, and a template with its preview, working copy, draft and versions. */

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
                    >Language<select name="locale">
                      ${SUPPORTED_LOCALES.map(
                        (l) => html`<option value="${l}" ${l === input.locale ? html` selected` : ''}>${languageName(l)}</option>`,
                      )}
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
