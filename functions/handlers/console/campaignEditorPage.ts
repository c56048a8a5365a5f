import type { ConsoleAsset } from '../../adapters/consoleAssets/consoleAssets';
import type { CampaignEditorData } from '../../domain/authoring/editorData';
import type { HttpResponse } from '../http';
import { dataBlock, EDITOR_STYLE, scriptTag, withEditorPolicy } from './editorShell';
import { html, page, type PageContext } from './html';

/**
 * The campaign editor's page (/admin/campaigns/{id}/edit and "New campaign"): a form for every field of
 * the campaign schema, built by its script (functions/console-browser/campaignEditor.ts) from the
 * draft, with each of the server's validation messages beside its field; a JSON view for those who
 * prefer it; the simulation of the draft; and publishing, for publishers.
 */
export function campaignEditorPage(ctx: PageContext, data: CampaignEditorData, script: ConsoleAsset): HttpResponse {
  const title = data.id ? `Edit campaign ${String(data.parts['name'] ?? data.id)}` : 'New campaign';
  const body = html`${EDITOR_STYLE}
    <p>
      ${data.id ? html`<a href="/admin/campaigns/${encodeURIComponent(data.id)}">← ${data.id}</a>` : html`<a href="/admin">← Campaigns</a>`}
    </p>
    <h1>${title}</h1>
    <noscript><p class="alert">The editor needs JavaScript (from this console only).</p></noscript>
    <p id="status" role="status" class="muted"></p>
    <div id="alert" role="alert" class="alert" hidden></div>
    <div class="editor">
      <section aria-labelledby="form-heading">
        <h2 id="form-heading" class="visually-hidden">The campaign</h2>
        <div role="tablist" id="view-tabs" aria-label="How to edit">
          <button type="button" role="tab" id="tab-form" data-tab="form" aria-controls="panel-form" aria-selected="true">Form</button>
          <button type="button" role="tab" id="tab-json" data-tab="json" aria-controls="panel-json" aria-selected="false" tabindex="-1">
            JSON
          </button>
        </div>
        <div role="tabpanel" id="panel-form" aria-labelledby="tab-form"><form id="campaign-form" novalidate></form></div>
        <div role="tabpanel" id="panel-json" aria-labelledby="tab-json" hidden>
          <p class="muted">The campaign as campaign.json has it. Changes here show in the form too.</p>
          <div id="json-editor"></div>
        </div>
      </section>
      <section aria-labelledby="validation-heading" class="card">
        <h2 id="validation-heading">Validation</h2>
        <p id="validation-summary" class="muted"></p>
        <ul id="validation"></ul>
      </section>
    </div>
    <h2 id="simulate-heading">Simulate</h2>
    <section class="card" aria-labelledby="simulate-heading">
      <p>
        What this draft would do now for every current customer — the real consent, caps, quiet hours and rendering decide, and nothing is
        sent or written.
      </p>
      ${data.canEdit ? html`<button type="button" id="simulate">Simulate this draft</button>` : ''}
      <div id="simulation" aria-live="polite"></div>
    </section>
    <h2 id="publish-heading">Publish</h2>
    <section class="card" aria-labelledby="publish-heading">
      ${
        data.canPublish
          ? html`<p>
                ${data.running ? `Running now: version ${data.running}.` : 'Not running yet.'} Publishing makes a new numbered version;
                journeys in flight keep going.
              </p>
              <button type="button" id="publish">Publish this draft</button>
              <p id="publish-status" role="status" class="muted"></p>`
          : html`<p class="muted">A publisher publishes drafts. Your changes are saved as you type.</p>`
      }
    </section>
    ${dataBlock('editor-data', data)} ${scriptTag('campaign-editor', script)}`;
  return withEditorPolicy(page(title, { ...ctx, section: 'campaigns' }, body));
}
