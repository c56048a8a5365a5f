import { languageName } from '../../domain/wording/languages';
import type { ConsoleAsset } from '../../adapters/consoleAssets/consoleAssets';
import type { TemplateEditorData } from '../../domain/authoring/editorData';
import type { Starter } from '../../domain/authoring/starters';
import type { HttpResponse } from '../http';
import { dataBlock, EDITOR_STYLE, scriptTag, withEditorPolicy } from './editorShell';
import { csrfField, html, may, page, type PageContext } from './html';

/**
 * The template editor's page: the parts in tabs (MJML, plain text, fields, each locale, samples), the
 * validation list beside them, the preview with its inbox line in desktop and mobile frames, test
 * send, and — for publishers — the diff before publishing. Its script (functions/console-browser/
 * templateEditor.ts) brings the editors to life; without it the page says so.
 */

const tabId = (part: string): string => part.replace('.', '-');

export function templateEditorPage(ctx: PageContext, data: TemplateEditorData, script: ConsoleAsset): HttpResponse {
  const enc = encodeURIComponent(data.name);
  const parts = ['mjml', 'text', 'fields', ...data.locales.map((l) => `locales.${l}`), 'samples'];
  const words: Record<string, string> = { mjml: 'MJML', text: 'Plain text', fields: 'Fields', samples: 'Samples' };
  const tabWords = (part: string) => words[part] ?? languageName(part.slice('locales.'.length));
  const body = html`${EDITOR_STYLE}
    <p><a href="/admin/templates/${enc}">← ${data.name}</a></p>
    <h1>Edit template ${data.name}</h1>
    <noscript><p class="alert">The editor needs JavaScript (from this console only).</p></noscript>
    <p id="status" role="status" class="muted"></p>
    <div id="alert" role="alert" class="alert" hidden></div>
    <div class="editor">
      <section aria-labelledby="parts-heading">
        <h2 id="parts-heading" class="visually-hidden">Parts of the template</h2>
        <div role="tablist" id="part-tabs" aria-label="Parts of the template">
          ${parts.map(
            (part, i) =>
              html`<button
                type="button"
                role="tab"
                id="tab-${tabId(part)}"
                data-tab="${part}"
                aria-controls="panel-${tabId(part)}"
                aria-selected="${i === 0 ? 'true' : 'false'}"
                ${i === 0 ? '' : html`tabindex="-1"`}
              >
                ${tabWords(part)}
              </button>`,
          )}
        </div>
        ${parts.map(
          (part, i) =>
            html`<div role="tabpanel" id="panel-${tabId(part)}" aria-labelledby="tab-${tabId(part)}" ${i === 0 ? '' : html`hidden`}>
              ${part === 'mjml' ? html`<div id="mjml-editor"></div>` : ''} ${part === 'text' ? html`<div id="text-editor"></div>` : ''}
            </div>`,
        )}
      </section>
      <section aria-labelledby="validation-heading" class="card">
        <h2 id="validation-heading">Validation</h2>
        <p id="validation-summary" class="muted"></p>
        <ul id="validation"></ul>
      </section>
    </div>
    <h2 id="preview-heading">Preview</h2>
    <section class="card" aria-labelledby="preview-heading">
      <div class="inline">
        <label
          >Language<select id="preview-locale">
            ${data.locales.map((l) => html`<option value="${l}">${languageName(l)}</option>`)}
          </select></label
        >
        <label
          >Sample recipient<select id="preview-sample">
            ${Object.keys(data.parts.samples)
              .sort()
              .map((s) => html`<option value="${s}" ${s === 'default' ? html`selected` : ''}>${s}</option>`)}
          </select></label
        >
      </div>
      <p class="inbox" aria-label="As an inbox lists it">
        <span class="from">${data.shopName}</span> <span class="subject" id="inbox-subject"></span> —
        <span class="preheader" id="inbox-preheader"></span>
      </p>
      <p id="preview-error" class="alert" hidden></p>
      <p id="preview-fields" class="muted"></p>
      <div class="frames">
        <!-- Focusable: on a phone the 600 px frame scrolls inside its figure, and a keyboard must reach that too. -->
        <figure class="frame-wrap" tabindex="0">
          <figcaption>Desktop (600 px)</figcaption>
          <iframe id="frame-desktop" class="w600" sandbox="" title="Desktop preview of the draft"></iframe>
        </figure>
        <figure class="frame-wrap" tabindex="0">
          <figcaption>Mobile (375 px)</figcaption>
          <iframe id="frame-mobile" class="mobile" sandbox="" title="Mobile preview of the draft"></iframe>
        </figure>
      </div>
      <details>
        <summary>Plain-text part</summary>
        <pre id="preview-text" class="light"></pre>
      </details>
    </section>
    ${
      data.canEdit
        ? html`<h2 id="test-send-heading">Test send</h2>
            <section class="card" aria-labelledby="test-send-heading">
              <form id="test-send-form" class="inline">
                <label>Send this preview to<input type="email" id="test-to" required placeholder="you@shop.example" /></label>
                <button type="submit">Send test</button>
              </form>
              <p id="test-send-status" role="status" class="muted"></p>
            </section>`
        : ''
    }
    <h2 id="publish-heading">Publish</h2>
    <section class="card" aria-labelledby="publish-heading">
      ${
        data.canPublish
          ? html`<p>
                ${data.published ? html`Sending now: version <code>${data.published.version}</code>.` : 'Not published yet.'}
                ${data.requireApproval ? ' Publishing waits for a second publisher to approve it.' : ''}
              </p>
              <button type="button" id="review-publish">Review changes and publish</button>
              <div id="review" hidden>
                <h3 id="diff-heading" tabindex="-1">The draft against the version sending now</h3>
                <div id="diff"></div>
                <p class="toolbar">
                  <button type="button" id="publish">Publish this draft</button>
                  <button type="button" id="cancel-publish" class="secondary">Not now</button>
                </p>
              </div>
              <p id="publish-status" role="status" class="muted"></p>`
          : html`<p class="muted">A publisher publishes drafts. Your changes are saved as you type.</p>`
      }
    </section>
    ${dataBlock('editor-data', data)} ${scriptTag('template-editor', script)}`;
  return withEditorPolicy(page(`Edit ${data.name}`, { ...ctx, section: 'templates' }, body));
}

export interface NewTemplateInput {
  templates: string[];
  starters: readonly Starter[];
  error?: string;
  name?: string;
  from?: string;
}

/** "New template": a name, and what it starts from (a starter, or a copy of another template). */
export function newTemplatePage(ctx: PageContext, input: NewTemplateInput, status = 200): HttpResponse {
  const chosen = input.from ?? `starter:${input.starters[0]?.id ?? ''}`;
  return page(
    'New template',
    { ...ctx, section: 'templates', ...(input.error ? { alert: input.error } : {}) },
    html`<p><a href="/admin/templates">← Templates</a></p>
      <h1>New template</h1>
      ${
        may(ctx, 'editor')
          ? html`<form method="post" action="/admin/templates/new" class="card">
              ${csrfField(ctx.csrf)}
              <label
                >Name (lowercase letters, digits and dashes; it cannot change later)<input
                  type="text"
                  name="name"
                  required
                  pattern="[a-z0-9][a-z0-9-]{0,63}"
                  value="${input.name ?? ''}"
              /></label>
              <fieldset>
                <legend>Start from</legend>
                ${input.starters.map(
                  (s) =>
                    html`<label class="check"
                        ><input type="radio" name="from" value="starter:${s.id}" ${chosen === `starter:${s.id}` ? html`checked` : ''} />
                        ${s.title}</label
                      ><br />`,
                )}
                ${input.templates.map(
                  (t) =>
                    html`<label class="check"
                        ><input type="radio" name="from" value="copy:${t}" ${chosen === `copy:${t}` ? html`checked` : ''} /> A copy of
                        ${t}</label
                      ><br />`,
                )}
              </fieldset>
              <p><button type="submit">Create the draft</button></p>
            </form>`
          : html`<p class="muted">Editors and publishers create templates.</p>`
      }
      ${EDITOR_STYLE}`,
    status,
  );
}
