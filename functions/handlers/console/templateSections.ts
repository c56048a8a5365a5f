import type { TemplatePageInput } from './templatePages';
import type { Locale } from '../../domain/events/events';
import type { ValidationReport } from '../../publishing/templateValidation';
import type { TemplateHistory } from '../../usecases/templates';
import { csrfField, html, may, timeFor, type Html, type PageContext } from './html';
import type { PendingApproval } from '../../adapters/dynamo/authoringStore';

/** The sections of a template's page: the working copy's validation, the catalog draft, the versions. */

export function draftSection(ctx: PageContext, name: string, draft: ValidationReport, sending: string | undefined, locale: Locale): Html {
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

export function catalogDraftSection(
  ctx: PageContext,
  name: string,
  draft: NonNullable<TemplatePageInput['catalogDraft']>,
  locale: Locale,
): Html {
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

export function versionsSection(ctx: PageContext, name: string, history: TemplateHistory, locale: Locale): Html {
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
