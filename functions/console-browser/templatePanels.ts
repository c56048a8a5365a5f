import type { EditorView } from '@codemirror/view';
import type { TemplateParts } from '../domain/authoring/draftParts';
import { codeEditor, goToLine } from './codeEditor';
import { el } from './dom';

/**
 * The editor's form panels: the fields a template declares (type, personalization level, required),
 * each locale's subject, preheader and strings, and the sample recipients (JSON, one editor each).
 * Each panel writes its part back into `parts` on every input and calls `changed`.
 */

export interface PanelContext {
  parts: TemplateParts;
  readOnly: boolean;
  changed: () => void;
  fieldTypes: readonly string[];
  levels: readonly string[];
}

type Field = TemplateParts['fields'][string];
let rowIds = 0;
const uid = (prefix: string): string => `${prefix}-${++rowIds}`;

function labelled(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: control.classList.contains('wide') ? 'wide-label' : undefined }, label, control);
}

function select(options: readonly string[], value: string, disabled: boolean, words?: Record<string, string>): HTMLSelectElement {
  return el(
    'select',
    { disabled },
    options.map((o) => el('option', { value: o, selected: o === value }, words?.[o] ?? o)),
  );
}

const LEVEL_WORDS: Record<string, string> = {
  none: 'none: anyone may get it',
  basic: 'basic: account data',
  full: 'full: behaviour too',
};

/** Fields: one row per declared field; the path names data under customer, cart, order… */
export function fieldsPanel(parent: HTMLElement, ctx: PanelContext): { focusField(path: string | undefined): void } {
  const rows = el('div', { class: 'rows', id: 'field-rows' });
  const description = el('input', { type: 'text', value: ctx.parts.description ?? '', disabled: ctx.readOnly, class: 'wide' });
  const write = () => {
    const fields: TemplateParts['fields'] = {};
    for (const row of rows.querySelectorAll<HTMLElement>('.field-row')) {
      const [path, type, level] = [...row.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[type=text], select')];
      const required = row.querySelector<HTMLInputElement>('input[type=checkbox]')!.checked;
      const about = row.querySelector<HTMLInputElement>('input.about')!.value;
      if (!path?.value.trim()) continue;
      fields[path.value.trim()] = { type: type!.value, level: level!.value, required, ...(about ? { description: about } : {}) };
    }
    ctx.parts.fields = fields;
    const text = description.value;
    if (text) ctx.parts.description = text;
    else delete ctx.parts.description;
    ctx.changed();
  };
  const addRow = (path: string, field: Partial<Field>) => {
    const id = uid('field');
    const row = el(
      'fieldset',
      { class: 'field-row', 'data-field': path },
      el('legend', { class: 'visually-hidden' }, `Field ${path || '(new)'}`),
      labelled('Field', el('input', { type: 'text', value: path, id, disabled: ctx.readOnly, placeholder: 'customer.firstName' })),
      labelled('Type', select(ctx.fieldTypes, String(field.type ?? 'string'), ctx.readOnly)),
      labelled('Personalization level', select(ctx.levels, String(field.level ?? 'basic'), ctx.readOnly, LEVEL_WORDS)),
      el(
        'label',
        { class: 'check' },
        el('input', { type: 'checkbox', checked: field.required === true, disabled: ctx.readOnly }),
        'Required',
      ),
      labelled(
        'What it is for',
        el('input', { type: 'text', class: 'about', value: String(field.description ?? ''), disabled: ctx.readOnly }),
      ),
      ctx.readOnly
        ? ''
        : el(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                row.remove();
                write();
              },
            },
            `Remove ${path || 'field'}`,
          ),
    );
    rows.append(row);
  };
  for (const [path, field] of Object.entries(ctx.parts.fields)) addRow(path, field as Partial<Field>);
  rows.addEventListener('input', write);
  rows.addEventListener('change', write);
  description.addEventListener('input', write);
  parent.append(
    labelled('Description', description),
    el('p', { class: 'muted' }, 'The data the template reads, each with the least personalization level a customer must allow for it.'),
    rows,
    ctx.readOnly ? '' : el('button', { type: 'button', class: 'secondary', onclick: () => addRow('', {}) }, 'Add a field'),
  );
  return {
    focusField(path) {
      const row = [...rows.querySelectorAll<HTMLElement>('.field-row')].find((r) => r.querySelector('input')?.value === path);
      (row ?? rows).querySelector<HTMLInputElement>('input')?.focus();
    },
  };
}

/** One locale: subject and preheader (the inbox line), and the strings the template's {{t}} calls read. */
export function localePanel(parent: HTMLElement, locale: string, ctx: PanelContext): { focusKey(key: string | undefined): void } {
  const strings = ctx.parts.locales[locale as 'en'] ?? { subject: '', preheader: '', strings: {} };
  const subject = el('input', { type: 'text', value: strings.subject, disabled: ctx.readOnly, class: 'wide', 'data-key': 'subject' });
  const preheader = el('input', {
    type: 'text',
    value: strings.preheader ?? '',
    disabled: ctx.readOnly,
    class: 'wide',
    'data-key': 'preheader',
  });
  const rows = el('div', { class: 'rows' });
  const write = () => {
    const table: Record<string, string> = {};
    for (const row of rows.querySelectorAll<HTMLElement>('.string-row')) {
      const key = row.querySelector<HTMLInputElement>('input')!.value.trim();
      if (key) table[key] = row.querySelector<HTMLTextAreaElement>('textarea')!.value;
    }
    ctx.parts.locales[locale as 'en'] = { subject: subject.value, preheader: preheader.value, strings: table };
    ctx.changed();
  };
  const addRow = (key: string, value: string) => {
    const row = el(
      'div',
      { class: 'string-row' },
      labelled('Key', el('input', { type: 'text', value: key, disabled: ctx.readOnly, 'data-key': key })),
      labelled('Text', el('textarea', { rows: 2, disabled: ctx.readOnly, class: 'wide' }, value)),
      ctx.readOnly
        ? ''
        : el(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                row.remove();
                write();
              },
            },
            `Remove ${key || 'string'}`,
          ),
    );
    rows.append(row);
  };
  for (const [key, value] of Object.entries(strings.strings ?? {})) addRow(key, value);
  for (const input of [subject, preheader]) input.addEventListener('input', write);
  rows.addEventListener('input', write);
  parent.append(
    labelled(`Subject (${locale})`, subject),
    labelled(`Preheader (${locale}): the line an inbox shows after the subject`, preheader),
    el('h3', {}, 'Strings'),
    rows,
    ctx.readOnly ? '' : el('button', { type: 'button', class: 'secondary', onclick: () => addRow('', '') }, 'Add a string'),
  );
  return {
    focusKey(key) {
      const inputs = [...parent.querySelectorAll<HTMLInputElement>('input')];
      (inputs.find((i) => i.dataset['key'] === key || (i.dataset['key'] !== undefined && i.value === key)) ?? subject).focus();
    },
  };
}

/** Samples: each a JSON editor; a sample that is not JSON yet is held back (and said so) until it is. */
export function samplesPanel(
  parent: HTMLElement,
  ctx: PanelContext,
  onJsonProblem: (id: string, message: string | undefined) => void,
): { goTo(id: string, line: number | undefined): void; ids(): string[] } {
  const editors = new Map<string, EditorView>();
  const list = el('div', { class: 'rows' });
  const add = (id: string, sample: unknown) => {
    const holder = el('div', {});
    const section = el('section', { class: 'sample', 'data-sample': id }, el('h3', {}, `Sample ${id}`), holder);
    const view = codeEditor({
      parent: holder,
      doc: `${JSON.stringify(sample, null, 2)}\n`,
      language: 'json',
      label: `Sample ${id} (JSON)`,
      readOnly: ctx.readOnly,
      onChange: (text) => {
        try {
          ctx.parts.samples[id] = JSON.parse(text) as Record<string, unknown>;
          onJsonProblem(id, undefined);
          ctx.changed();
        } catch (error) {
          onJsonProblem(id, `is not JSON yet: ${(error as Error).message}`);
        }
      },
    });
    editors.set(id, view);
    if (!ctx.readOnly)
      section.append(
        el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              delete ctx.parts.samples[id];
              editors.delete(id);
              section.remove();
              onJsonProblem(id, undefined);
              ctx.changed();
            },
          },
          `Remove sample ${id}`,
        ),
      );
    list.append(section);
  };
  for (const [id, sample] of Object.entries(ctx.parts.samples)) add(id, sample);
  parent.append(
    el('p', { class: 'muted' }, 'Sample recipients: the data a send would have, and the personalization level they chose.'),
    list,
  );
  if (!ctx.readOnly) {
    const newId = el('input', { type: 'text', placeholder: 'gold-member', pattern: '[A-Za-z0-9][A-Za-z0-9_-]{0,63}' });
    const addButton = el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          const id = newId.value.trim();
          if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id) || Object.hasOwn(ctx.parts.samples, id)) {
            newId.setCustomValidity('letters, digits, _ and -, and not the id of another sample');
            newId.reportValidity();
            return;
          }
          newId.setCustomValidity('');
          const first = Object.values(ctx.parts.samples)[0] ?? { level: 'basic', data: {} };
          ctx.parts.samples[id] = structuredClone(first);
          add(id, ctx.parts.samples[id]);
          newId.value = '';
          ctx.changed();
        },
      },
      'Add a sample (a copy of the first)',
    );
    parent.append(el('div', { class: 'inline' }, el('label', {}, 'New sample id', newId), addButton));
  }
  return {
    goTo(id, line) {
      const view = editors.get(id);
      if (view) goToLine(view, line ?? 1);
    },
    ids: () => [...editors.keys()],
  };
}
