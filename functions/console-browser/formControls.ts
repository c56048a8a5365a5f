import { durationInWords } from '../domain/wording/time';
import { parseDurationInput } from '../domain/wording/durationInput';
import { el } from './dom';

/**
 * Form controls bound to a campaign being edited: each reads its value from the model, writes it back
 * on input and calls `changed`, and carries the schema path it edits (`steps[0].delay`) so the
 * server's validation message for that path shows beside it.
 */

export interface Binding<T> {
  get: () => T | undefined;
  set: (value: T | undefined) => void;
}

export interface ControlContext {
  readOnly: boolean;
  changed: () => void;
}

let ids = 0;
const idFor = (path: string): string => `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}-${++ids}`;

/** A label around a control, with the slot its messages go into. */
function field(path: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = idFor(path);
  control.id = id;
  control.dataset['path'] = path;
  const message = el('span', { class: 'field-error', id: `${id}-message`, 'data-message-for': path, hidden: true });
  const hintNode = hint ? el('span', { class: 'muted', id: `${id}-hint` }, hint) : undefined;
  control.setAttribute('aria-describedby', [hintNode ? `${id}-hint` : '', `${id}-message`].filter(Boolean).join(' '));
  return el('div', { class: 'control', 'data-control-for': path }, el('label', { for: id }, label), control, hintNode, message);
}

export function textControl(path: string, label: string, bind: Binding<string>, ctx: ControlContext, hint?: string): HTMLElement {
  const input = el('input', { type: 'text', value: bind.get() ?? '', disabled: ctx.readOnly });
  input.addEventListener('input', () => {
    bind.set(input.value === '' ? undefined : input.value);
    ctx.changed();
  });
  return field(path, label, input, hint);
}

export function numberControl(
  path: string,
  label: string,
  bind: Binding<number>,
  ctx: ControlContext,
  opts: { min?: number; max?: number; step?: number; scale?: number; hint?: string } = {},
): HTMLElement {
  const scale = opts.scale ?? 1;
  const value = bind.get();
  const input = el('input', {
    type: 'number',
    value: value === undefined ? '' : String(Math.round(value * scale * 1000) / 1000),
    min: opts.min,
    max: opts.max,
    step: opts.step ?? 1,
    disabled: ctx.readOnly,
    inputmode: 'decimal',
  });
  input.addEventListener('input', () => {
    bind.set(input.value === '' ? undefined : Number(input.value) / scale);
    ctx.changed();
  });
  return field(path, label, input, opts.hint);
}

export function selectControl(
  path: string,
  label: string,
  options: readonly string[],
  bind: Binding<string>,
  ctx: ControlContext,
  opts: { words?: Record<string, string>; none?: string; hint?: string; onPick?: () => void } = {},
): HTMLElement {
  const current = bind.get();
  const select = el(
    'select',
    { disabled: ctx.readOnly },
    opts.none !== undefined ? el('option', { value: '', selected: current === undefined }, opts.none) : '',
    options.map((o) => el('option', { value: o, selected: o === current }, opts.words?.[o] ?? o)),
    current !== undefined && !options.includes(current) ? el('option', { value: current, selected: true }, current) : '',
  );
  select.addEventListener('change', () => {
    bind.set(select.value === '' ? undefined : select.value);
    ctx.changed();
    opts.onPick?.();
  });
  return field(path, label, select, opts.hint);
}

/** A duration typed in words ("3 days"); stored as its ISO code; what cannot be read is said at once and not stored. */
export function durationControl(path: string, label: string, bind: Binding<string>, ctx: ControlContext, optional = false): HTMLElement {
  const value = bind.get();
  const input = el('input', {
    type: 'text',
    value: value ? durationInWords(value) : '',
    disabled: ctx.readOnly,
    placeholder: optional ? 'none' : '3 days',
  });
  const wrapper = field(
    path,
    label,
    input,
    optional ? 'Leave empty for none. In words: "1 hour", "3 days".' : 'In words: "1 hour", "3 days".',
  );
  const message = wrapper.querySelector<HTMLElement>('[data-message-for]')!;
  input.addEventListener('input', () => {
    if (optional && input.value.trim() === '') {
      bind.set(undefined);
      showMessage(input, message, undefined);
      ctx.changed();
      return;
    }
    const parsed = parseDurationInput(input.value);
    if ('error' in parsed) return showMessage(input, message, parsed.error, true);
    showMessage(input, message, undefined);
    bind.set(parsed.iso);
    ctx.changed();
  });
  return wrapper;
}

export function checkboxControl(label: string, checked: boolean, ctx: ControlContext, onChange: (checked: boolean) => void): HTMLElement {
  const box = el('input', { type: 'checkbox', checked, disabled: ctx.readOnly });
  box.addEventListener('change', () => onChange(box.checked));
  return el('label', { class: 'check' }, box, label);
}

/** A message beside a control; `local` for one the browser found itself (a duration it cannot read), which the server cannot clear. */
export function showMessage(control: HTMLElement, slot: HTMLElement, message: string | undefined, local = false): void {
  slot.dataset['local'] = local && message ? 'yes' : '';
  slot.textContent = message ?? '';
  slot.hidden = !message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export function button(label: string, onClick: () => void, ctx: ControlContext, secondary = true): HTMLElement | string {
  return ctx.readOnly ? '' : el('button', { type: 'button', class: secondary ? 'secondary' : undefined, onclick: onClick }, label);
}
