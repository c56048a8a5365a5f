import type { EditorView } from '@codemirror/view';
import type { DraftProblem, TemplateParts } from '../domain/authoring/draftParts';
import type { TemplateEditorData, TemplatePreviewAnswer } from '../domain/authoring/editorData';
import { folderFilesOfParts } from '../domain/authoring/partFiles';
import { languageName } from '../domain/wording/languages';
import { codeEditor, goToLine, showProblems } from './codeEditor';
import { diffView } from './diffView';
import { byId, call, debounce, el, pageData, say } from './dom';
import { tabs } from './tabs';
import { fieldsPanel, localePanel, samplesPanel } from './templatePanels';

/**
 * The template editor (/admin/templates/{name}/edit): every part of a template folder, saved as a
 * draft while the marketer types (debounced), validated and rendered on the server by the send path's
 * renderer, shown in desktop and mobile frames with its inbox line; the validation list jumps to the
 * part and line; publishing shows the diff against the version sending now first.
 */

const data = pageData<TemplateEditorData>('editor-data');
const parts: TemplateParts = structuredClone(data.parts);
let revision = data.revision;
let published = data.published;
let dirty = false;
let conflict = false;
const jsonProblems = new Map<string, string>();

const status = byId('status');
const alertBox = byId('alert');
const changed = () => {
  dirty = true;
  if (!conflict) say(status, 'Unsaved changes…');
  scheduleSync();
};

// ——— parts ———
const readOnly = !data.canEdit;
const editors: Record<'mjml' | 'text', EditorView> = {
  mjml: codeEditor({
    parent: byId('mjml-editor'),
    doc: parts.mjml,
    language: 'mjml',
    label: 'MJML source',
    readOnly,
    onChange: (text) => ((parts.mjml = text), changed()),
  }),
  text: codeEditor({
    parent: byId('text-editor'),
    doc: parts.text,
    language: 'text',
    label: 'Plain-text part',
    readOnly,
    onChange: (text) => ((parts.text = text), changed()),
  }),
};
const panelContext = { parts, readOnly, changed, fieldTypes: data.fieldTypes, levels: data.levels };
const fields = fieldsPanel(byId('panel-fields'), panelContext);
const locales = new Map(data.locales.map((locale) => [locale, localePanel(byId(`panel-locales-${locale}`), locale, panelContext)]));
const samples = samplesPanel(byId('panel-samples'), panelContext, (id, message) => {
  if (message) jsonProblems.set(id, message);
  else jsonProblems.delete(id);
  if (message) say(status, `Sample ${id} ${message}: not saved until it is JSON.`, 'alert');
});
const partTabs = tabs(byId('part-tabs'));

// ——— validation ———
const PART_WORDS: Record<string, string> = { mjml: 'MJML', text: 'Plain text', fields: 'Fields', samples: 'Samples' };
const partWords = (part: string): string =>
  PART_WORDS[part] ?? part.replace(/^locales\.(\w+)$/, (_, locale: string) => languageName(locale)).replace(/^samples\.(.+)$/, 'Sample $1');

/** The key on a line of a JSON file as validation wrote it (JSON.stringify with 2 spaces). */
function keyOnLine(value: unknown, line: number | undefined, depth: number): string | undefined {
  if (!line) return undefined;
  const lines = JSON.stringify(value, null, 2).split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const match = new RegExp(`^ {${depth * 2}}"((?:[^"\\\\]|\\\\.)*)":`).exec(lines[i]!);
    if (match) return JSON.parse(`"${match[1]}"`) as string;
  }
  return undefined;
}

function jump(problem: DraftProblem): void {
  const { part, line } = problem;
  if (part === 'mjml' || part === 'text') {
    partTabs.show(part);
    goToLine(editors[part], line ?? 1);
  } else if (part === 'fields') {
    partTabs.show('fields');
    fields.focusField(keyOnLine({ description: parts.description, fields: parts.fields }, line, 2));
  } else if (part.startsWith('locales.')) {
    const locale = part.slice('locales.'.length);
    partTabs.show(part);
    const strings = parts.locales[locale as 'en'];
    locales
      .get(locale)
      ?.focusKey(keyOnLine(strings, line, 1) === 'strings' ? undefined : (keyOnLine(strings, line, 2) ?? keyOnLine(strings, line, 1)));
  } else if (part.startsWith('samples')) {
    partTabs.show('samples');
    const id = part.slice('samples.'.length);
    if (id) samples.goTo(id, line);
  }
}

function showValidation(validation: TemplatePreviewAnswer['validation']): void {
  const list = byId('validation');
  const problems: (DraftProblem & { severity: 'error' | 'warning' })[] = [
    ...[...jsonProblems].map(([id, message]) => ({ part: `samples.${id}`, message, severity: 'error' as const })),
    ...validation.errors.map((p) => ({ ...p, severity: 'error' as const })),
    ...validation.warnings.map((p) => ({ ...p, severity: 'warning' as const })),
  ];
  const errors = problems.filter((p) => p.severity === 'error').length;
  say(
    byId('validation-summary'),
    errors === 0
      ? `Valid${problems.length ? `, ${problems.length} ${problems.length === 1 ? 'warning' : 'warnings'}` : ''}: it can publish.`
      : `${errors} ${errors === 1 ? 'error' : 'errors'} to fix before it publishes.`,
    errors === 0 ? 'notice' : 'alert',
  );
  list.replaceChildren(
    ...problems.map((p) =>
      el(
        'li',
        { class: p.severity },
        el(
          'button',
          { type: 'button', class: 'link', onclick: () => jump(p) },
          el('span', { class: 'severity' }, p.severity === 'error' ? 'Error' : 'Warning'),
          ` ${partWords(p.part)}${p.line ? `, line ${p.line}` : ''}: `,
          p.message,
        ),
      ),
    ),
  );
  for (const part of ['mjml', 'text'] as const)
    showProblems(
      editors[part],
      problems.filter((p) => p.part === part),
    );
}

// ——— preview ———
const localeSelect = byId<HTMLSelectElement>('preview-locale');
const sampleSelect = byId<HTMLSelectElement>('preview-sample');
const view = () => ({ locale: localeSelect.value, ...(sampleSelect.value ? { sample: sampleSelect.value } : {}) });

function showPreview(answer: TemplatePreviewAnswer): void {
  showValidation(answer.validation);
  const error = byId('preview-error');
  say(error, answer.previewError ? `No preview: ${answer.previewError}` : '', 'alert');
  const preview = answer.preview;
  if (!preview) return;
  byId('inbox-subject').textContent = preview.subject;
  byId('inbox-preheader').textContent = preview.preheader;
  for (const frame of ['frame-desktop', 'frame-mobile']) byId<HTMLIFrameElement>(frame).srcdoc = preview.html;
  byId('preview-text').textContent = preview.text;
  byId('preview-fields').textContent = preview.fieldsUsed.length ? `Reads ${preview.fieldsUsed.join(', ')}.` : 'Reads nothing personal.';
  const current = [...sampleSelect.options].map((o) => o.value);
  if (current.join() !== preview.samples.join()) sampleSelect.replaceChildren(...preview.samples.map((s) => el('option', { value: s }, s)));
  sampleSelect.value = preview.sample;
}

let chain: Promise<void> = Promise.resolve();
/** Saves (editors) or only previews (viewers, and a switch of locale or sample), one call at a time. */
function sync(saveToo = data.canEdit): Promise<void> {
  chain = chain.then(async () => {
    if (jsonProblems.size > 0) return showValidation({ ok: false, errors: [], warnings: [] });
    const saving = saveToo && dirty && !conflict;
    dirty = saving ? false : dirty;
    const url = saving ? data.urls.save : data.urls.preview;
    const answer = await call<TemplatePreviewAnswer>(url, data.csrf, { ...(saving ? { revision } : {}), parts, ...view() });
    if (answer.status === 409 && answer.body.current) return showConflict(answer.body.current);
    if (answer.status !== 200) {
      if (saving) dirty = true;
      return say(
        status,
        `Not saved: ${answer.body.error?.path ?? ''} ${answer.body.error?.message ?? `the console answered ${answer.status}`}`,
        'alert',
      );
    }
    if (saving && answer.body.revision !== undefined) {
      revision = answer.body.revision;
      say(status, `Saved as revision ${revision}.`);
    }
    showPreview(answer.body);
  });
  return chain.catch((error: unknown) => say(status, `Not saved: ${(error as Error).message}`, 'alert'));
}
const scheduleSync = debounce(() => void sync(), 400);

function showConflict(current: NonNullable<TemplatePreviewAnswer['current']>): void {
  conflict = true;
  dirty = true;
  alertBox.hidden = false;
  alertBox.replaceChildren(
    `${current.savedBy} saved revision ${current.revision} at ${current.savedAt.replace('T', ' ').slice(0, 16)} UTC` +
      `${current.changed?.length ? ` (changed: ${current.changed.join(', ')})` : ''}. Your changes are not saved yet. `,
    el('button', { type: 'button', class: 'secondary', onclick: () => location.reload() }, 'Load their revision (drops yours)'),
    ' ',
    el(
      'button',
      {
        type: 'button',
        onclick: () => {
          revision = current.revision;
          conflict = false;
          alertBox.hidden = true;
          void sync();
        },
      },
      'Save mine over theirs',
    ),
  );
  say(status, 'Not saved: someone else saved meanwhile.', 'alert');
}

localeSelect.addEventListener('change', () => void sync(false));
sampleSelect.addEventListener('change', () => void sync(false));

// ——— test send ———
byId('test-send-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const to = byId<HTMLInputElement>('test-to').value;
  const out = byId('test-send-status');
  say(out, 'Sending…');
  void call<{ error?: { message: string } }>(data.urls.testSend, data.csrf, { parts, to, ...view() }).then((answer) =>
    answer.status === 202
      ? say(out, `Test email sent to ${to}, marked [Test].`, 'notice')
      : say(out, `Not sent: ${answer.body.error?.message ?? answer.status}`, 'alert'),
  );
});

// ——— publish ———
const review = document.getElementById('review');
document.getElementById('review-publish')?.addEventListener('click', () => {
  void sync().then(() => {
    byId('diff').replaceChildren(diffView(published && folderFilesOfParts(published.parts), folderFilesOfParts(parts)));
    review!.hidden = false;
    byId('diff-heading').focus();
  });
});
document.getElementById('cancel-publish')?.addEventListener('click', () => (review!.hidden = true));
document.getElementById('publish')?.addEventListener('click', () => {
  const out = byId('publish-status');
  say(out, 'Publishing…');
  void sync().then(async () => {
    const answer = await call<{
      version?: string;
      awaitingApproval?: { requestedBy: string };
      validation?: TemplatePreviewAnswer['validation'];
      error?: { message: string };
    }>(data.urls.publish, data.csrf, {});
    if (answer.status === 201) {
      published = { version: answer.body.version!, parts: structuredClone(parts) };
      say(out, `Published as version ${answer.body.version}: the next sends use it.`, 'notice');
    } else if (answer.status === 202) say(out, 'Asked for approval: another publisher must approve this publish.', 'notice');
    else if (answer.status === 422 && answer.body.validation) {
      showValidation(answer.body.validation);
      say(out, 'Not published: the draft does not validate. Fix the errors in the validation list.', 'alert');
    } else say(out, `Not published: ${answer.body.error?.message ?? answer.status}`, 'alert');
  });
});

showValidation(data.validation);
say(status, data.revision ? `Draft revision ${data.revision}${data.savedBy ? `, saved by ${data.savedBy}` : ''}.` : 'No changes yet.');
void sync(false);
