import type { EditorView } from '@codemirror/view';
import type { CampaignEditorData, CampaignSimulationAnswer } from '../domain/authoring/editorData';
import type { DraftValidation } from '../domain/authoring/draftParts';
import { codeEditor } from './codeEditor';
import { campaignForm } from './campaignForm';
import { byId, call, debounce, el, pageData, say } from './dom';
import { showMessage } from './formControls';
import { tabs } from './tabs';

/**
 * The campaign editor (/admin/campaigns/{id}/edit, /admin/campaigns/new): the form (or the JSON) edits
 * the draft, saved through the admin API's own save while the marketer types; the server's validation
 * messages show beside their fields; the draft can be simulated, and publishers publish it.
 */

const data = pageData<CampaignEditorData>('editor-data');
const model: Record<string, unknown> = structuredClone(data.parts);
let id = data.id;
let revision = data.revision;
let dirty = false;
let jsonBroken: string | undefined;
let lastValidation: DraftValidation = data.validation;

const status = byId('status');
const form = byId<HTMLFormElement>('campaign-form');
const url = (template: string, forId = id): string => template.replace('{id}', encodeURIComponent(forId ?? ''));
const readOnly = !data.canEdit;

function changed(): void {
  dirty = true;
  say(status, 'Unsaved changes…');
  scheduleSave();
}

function drawForm(): void {
  form.replaceChildren(
    ...campaignForm({
      model,
      choices: data.choices,
      readOnly,
      changed,
      isNew: id === undefined,
      redraw: () => (drawForm(), showValidation(lastValidation)),
    }),
  );
}

// ——— JSON view ———
let jsonView: EditorView | undefined;
function openJson(): void {
  const text = `${JSON.stringify(model, null, 2)}\n`;
  if (!jsonView)
    jsonView = codeEditor({
      parent: byId('json-editor'),
      doc: text,
      language: 'json',
      label: 'The campaign as JSON',
      readOnly,
      onChange: (next) => {
        try {
          const parsed = JSON.parse(next) as Record<string, unknown>;
          for (const key of Object.keys(model)) delete model[key];
          Object.assign(model, parsed);
          jsonBroken = undefined;
          changed();
        } catch (error) {
          jsonBroken = (error as Error).message;
          say(status, `The JSON does not parse yet (${jsonBroken}): not saved until it does.`, 'alert');
        }
      },
    });
  else if (jsonView.state.doc.toString() !== text) jsonView.dispatch({ changes: { from: 0, to: jsonView.state.doc.length, insert: text } });
}
tabs(byId('view-tabs'), (tab) => (tab === 'json' ? openJson() : (drawForm(), showValidation(lastValidation))));

// ——— validation beside the fields ———
const PATH_WORDS: [RegExp, string][] = [
  [/^steps\[(\d+)\]/, 'Step '],
  [/^variants\[(\d+)\]/, 'Variant '],
  [/^cancelOn\[(\d+)\]/, 'Ending '],
];
function where(path: string): string {
  for (const [pattern, words] of PATH_WORDS) {
    const m = pattern.exec(path);
    if (m) return `${words}${Number(m[1]) + 1}${path.slice(m[0].length) ? `, ${path.slice(m[0].length + 1)}` : ''}`;
  }
  return path;
}

/** The control for a path, or the nearest enclosing one (`steps[0].delay` → `steps[0]`). */
function controlFor(path: string): HTMLElement | undefined {
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const found = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (found) return found;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
  }
  return undefined;
}

function showValidation(validation: DraftValidation): void {
  lastValidation = validation;
  for (const slot of form.querySelectorAll<HTMLElement>('[data-message-for]')) {
    const control = form.querySelector<HTMLElement>(`[aria-describedby~="${slot.id}"]`);
    if (control && slot.dataset['local'] !== 'yes') showMessage(control, slot, undefined);
  }
  const messages = new Map<HTMLElement, string[]>();
  for (const problem of validation.errors) {
    const control = controlFor(problem.part);
    if (control)
      messages.set(control, [
        ...(messages.get(control) ?? []),
        problem.part === control.dataset['path'] ? problem.message : `${where(problem.part)}: ${problem.message}`,
      ]);
  }
  for (const [control, list] of messages) {
    const slot = document.getElementById(`${control.id}-message`);
    if (slot) showMessage(control, slot, list.join('; '));
  }
  const count = validation.errors.length;
  say(
    byId('validation-summary'),
    count === 0 ? 'Valid: it can be simulated and published.' : `${count} ${count === 1 ? 'error' : 'errors'} to fix before it publishes.`,
    count === 0 ? 'notice' : 'alert',
  );
  byId('validation').replaceChildren(
    ...validation.errors.map((p) =>
      el(
        'li',
        { class: 'error' },
        el(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              const control = controlFor(p.part);
              if (control) control.focus();
            },
          },
          el('span', { class: 'severity' }, 'Error'),
          ` ${where(p.part)}: ${p.message}`,
        ),
      ),
    ),
  );
}

// ——— saving ———
type SimulationResult = NonNullable<CampaignSimulationAnswer['simulation']>;
type SaveAnswer = {
  revision?: number;
  validation?: DraftValidation;
  error?: { path: string; message: string };
  current?: { revision: number; savedBy: string; savedAt: string; changed?: string[] };
};

let chain: Promise<void> = Promise.resolve();
function save(): Promise<void> {
  chain = chain.then(async () => {
    if (!dirty || readOnly || jsonBroken) return;
    const newId = id ?? (typeof model['id'] === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(model['id']) ? model['id'] : undefined);
    if (!newId) return say(status, 'Give the campaign an id (lowercase letters, digits and dashes) to save it.', 'alert');
    dirty = false;
    const creating = id === undefined;
    const answer = await call<SaveAnswer>(url(data.urls.save, newId), data.csrf, {
      ...(creating ? { create: true } : { revision }),
      parts: model,
    });
    if (answer.status === 200 && answer.body.revision !== undefined) {
      revision = answer.body.revision;
      if (creating) {
        id = newId;
        history.replaceState(null, '', url(data.urls.edit));
        drawForm();
      }
      say(status, `Saved as revision ${revision}.`);
      showValidation(answer.body.validation ?? { ok: false, errors: [], warnings: [] });
      return;
    }
    dirty = true;
    if (answer.status === 409 && answer.body.current) {
      const c = answer.body.current;
      return say(
        status,
        `Not saved: ${c.savedBy} saved revision ${c.revision} meanwhile` +
          `${c.changed?.length ? ` (changed: ${c.changed.join(', ')})` : ''}. Reload to see it.`,
        'alert',
      );
    }
    const error = answer.body.error;
    if (error?.path === 'id' && creating) {
      const control = controlFor('id');
      const slot = control && document.getElementById(`${control.id}-message`);
      if (control && slot) showMessage(control, slot, error.message);
    }
    say(status, `Not saved: ${error ? `${where(error.path)} ${error.message}` : `the console answered ${answer.status}`}`, 'alert');
  });
  return chain.catch((error: unknown) => say(status, `Not saved: ${(error as Error).message}`, 'alert'));
}
const scheduleSave = debounce(() => void save(), 500);

// ——— simulate and publish ———
document.getElementById('simulate')?.addEventListener('click', () => {
  const out = byId('simulation');
  out.replaceChildren(el('p', { class: 'muted' }, 'Simulating…'));
  void save().then(async () => {
    if (!id) return out.replaceChildren(el('p', { class: 'alert' }, 'Save the campaign first: give it an id.'));
    const answer = await call<CampaignSimulationAnswer>(url(data.urls.simulate), data.csrf, { parts: model });
    if (answer.status === 422 && answer.body.validation) {
      showValidation(answer.body.validation);
      return out.replaceChildren(
        el('p', { class: 'alert' }, 'Not simulated: the draft does not validate. Fix the errors beside the fields.'),
      );
    }
    const result = answer.body.simulation;
    if (!result) return out.replaceChildren(el('p', { class: 'alert' }, `Not simulated: ${answer.body.error?.message ?? answer.status}`));
    out.replaceChildren(simulationView(result, answer.body.reasons ?? {}));
  });
});

function simulationView(result: SimulationResult, reasons: Record<string, string>): HTMLElement {
  const notSent = Object.entries(result.notSent).sort((a, b) => b[1] - a[1]);
  return el(
    'div',
    { id: 'simulation-result' },
    el(
      'div',
      { class: 'grid' },
      el('div', { class: 'stat' }, el('b', {}, String(result.customers)), 'customers considered'),
      el('div', { class: 'stat' }, el('b', {}, String(result.wouldSend)), 'would be sent'),
      el('div', { class: 'stat' }, el('b', {}, String(result.customers - result.wouldSend)), 'would not'),
    ),
    notSent.length
      ? el(
          'ul',
          {},
          notSent.map(([reason, n]) => el('li', {}, `${n} ${n === 1 ? 'customer' : 'customers'}: ${reasons[reason] ?? reason}`)),
        )
      : '',
    result.samples.length
      ? el(
          'div',
          { class: 'frames' },
          result.samples.map((s) =>
            el(
              'figure',
              // Focusable: a frame wider than a phone scrolls inside it, and a keyboard must reach that too.
              { class: 'frame-wrap', tabindex: '0' },
              el('figcaption', {}, `${s.subject} (${s.locale}, ${s.variant})`),
              Object.assign(el('iframe', { class: 'mobile', sandbox: '', title: `Sample email: ${s.subject}` }), { srcdoc: s.html }),
            ),
          ),
        )
      : '',
  );
}

document.getElementById('publish')?.addEventListener('click', () => {
  const out = byId('publish-status');
  say(out, 'Publishing…');
  void save().then(async () => {
    if (!id) return say(out, 'Save the campaign first: give it an id.', 'alert');
    const answer = await call<{ version?: number; validation?: DraftValidation; error?: { message: string } }>(
      url(data.urls.publish),
      data.csrf,
      {},
    );
    if (answer.status === 201) {
      out.replaceChildren(
        `Published as version ${answer.body.version}: the next events start journeys of it. `,
        el('a', { href: url(data.urls.view) }, 'Open the campaign'),
      );
      out.className = 'notice';
    } else if (answer.status === 202) say(out, 'Asked for approval: another publisher must approve this publish.', 'notice');
    else if (answer.status === 422 && answer.body.validation) {
      showValidation(answer.body.validation);
      say(out, 'Not published: the draft does not validate. Fix the errors beside the fields.', 'alert');
    } else say(out, `Not published: ${answer.body.error?.message ?? answer.status}`, 'alert');
  });
});

drawForm();
showValidation(data.validation);
say(
  status,
  data.revision
    ? `Draft revision ${data.revision}${data.savedBy ? `, saved by ${data.savedBy}` : ''}.`
    : id
      ? 'No changes yet.'
      : 'A new campaign: it is saved once it has an id.',
);
