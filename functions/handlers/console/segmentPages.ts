import type { HttpResponse } from '../http';
import { describeCondition, describeSegment, factWords } from '../../domain/segments/describe';
import { OPERATORS_BY_KIND, SEGMENT_FACTS, type FactKind, type Segment, type SegmentOperator } from '../../domain/segments/facts';
import type { SegmentPreview } from '../../usecases/segments';
import { csrfField, html, may, page, type Html, type PageContext } from './html';

/**
 * The segment builder: a segment's conditions as a form, one row per condition (fact, how it compares,
 * value), and a count of the customers who match now, with a few of them and why. No script: "Count"
 * and "Add a condition" send the form and the page comes back with the count or a new row.
 */

/** How each operator reads in the form. */
const OP_WORDS: Record<SegmentOperator, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is one of',
  exists: 'is known',
  within: 'in the last',
  notWithin: 'not in the last (or never)',
};

/** What to type as the value, by kind and operator. */
function valueHint(kind: FactKind, op: string): string {
  if (op === 'exists') return 'leave empty; "no" for "is not known"';
  if (op === 'within' || op === 'notWithin') return 'a duration: P90D is 90 days, P3M three months, PT36H 36 hours';
  const list = op === 'in' ? ', several separated by commas' : '';
  switch (kind) {
    case 'number':
      return `a number${list}`;
    case 'date':
      return 'a date and time such as 2026-12-01T00:00:00Z';
    case 'flag':
      return 'yes or no';
    case 'money':
      return 'an amount and a currency, such as 150 PLN';
    case 'consent':
      return `granted, withdrawn or unknown${list}`;
    case 'level':
      return `none, basic or full${list}`;
    default:
      return `a text${list}`;
  }
}

/** One condition as the form holds it: what was typed, before it is a condition. */
export interface ConditionRow {
  fact: string;
  op: string;
  value: string;
}

export interface SegmentForm {
  id: string;
  name: string;
  description: string;
  match: 'all' | 'any';
  rows: ConditionRow[];
}

export const MAX_ROWS = 20;

/** The form's fields as rows (a row marked for removal, or left empty, is dropped). */
export function formOf(form: URLSearchParams, id: string): SegmentForm {
  const rows: ConditionRow[] = [];
  for (let n = 0; n < MAX_ROWS; n++) {
    const fact = form.get(`c${n}.fact`) ?? '';
    if (!fact || form.get(`c${n}.remove`)) continue;
    rows.push({ fact, op: form.get(`c${n}.op`) ?? '', value: (form.get(`c${n}.value`) ?? '').trim() });
  }
  return {
    id: (form.get('id') ?? id).trim(),
    name: form.get('name') ?? '',
    description: form.get('description') ?? '',
    match: form.get('match') === 'any' ? 'any' : 'all',
    rows,
  };
}

/** A stored segment as the form shows it. */
export function formOfSegment(segment: Segment): SegmentForm {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description ?? '',
    match: segment.match,
    rows: segment.conditions.map((c) => ({ fact: c.fact, op: c.op, value: typedValue(c.value) })),
  };
}

function typedValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === false) return 'no';
  if (value === true) return 'yes';
  if (Array.isArray(value)) return value.map(typedValue).join(', ');
  if (typeof value === 'object' && value !== null && 'amount' in value) {
    const money = value as { amount: number; currency: string };
    return `${money.amount} ${money.currency}`;
  }
  return String(value);
}

/** What a row's typed value means for its fact's kind: the segment schema then says whether it is valid. */
function valueOf(kind: FactKind | undefined, op: string, typed: string): unknown {
  if (op === 'exists') return typed === '' || /^(yes|true)$/i.test(typed) ? undefined : /^(no|false)$/i.test(typed) ? false : typed;
  if (op === 'within' || op === 'notWithin') return typed.toUpperCase();
  const one = (v: string): unknown => {
    switch (kind) {
      case 'number':
        return v === '' || Number.isNaN(Number(v)) ? v : Number(v);
      case 'flag':
        return /^(yes|true)$/i.test(v) ? true : /^(no|false)$/i.test(v) ? false : v;
      case 'money': {
        const m = /^(-?\d+(?:[.,]\d+)?)\s*([A-Za-z]{3})$/.exec(v);
        return m ? { amount: Number(m[1]!.replace(',', '.')), currency: m[2]!.toUpperCase() } : v;
      }
      default:
        return v;
    }
  };
  return op === 'in' ? typed.split(',').map((v) => one(v.trim())) : one(typed);
}

/** The form as the segment the API would be sent (validated by the same schema). */
export function segmentOf(form: SegmentForm): unknown {
  return {
    id: form.id,
    name: form.name,
    ...(form.description.trim() ? { description: form.description } : {}),
    match: form.match,
    conditions: form.rows.map((r) => {
      const value = valueOf(SEGMENT_FACTS[r.fact], r.op, r.value);
      return { fact: r.fact, op: r.op, ...(value === undefined ? {} : { value }) };
    }),
  };
}

export interface BuilderState {
  form: SegmentForm;
  isNew: boolean;
  /** Field errors by the segment's path ("name", "conditions[1].value"). */
  errors: Record<string, string>;
  preview?: SegmentPreview;
  /** A row to add at the end (Add a condition). */
  blankRow?: boolean;
}

const FACT_OPTIONS = Object.keys(SEGMENT_FACTS);
const checked = (on: boolean): Html => (on ? html`checked` : html``);

function row(n: number, r: ConditionRow, errors: Record<string, string>): Html {
  const kind = SEGMENT_FACTS[r.fact];
  const ops = kind ? OPERATORS_BY_KIND[kind] : (Object.keys(OP_WORDS) as SegmentOperator[]);
  const error = (part: string) => errors[`conditions[${n}].${part}`] ?? (part === 'fact' ? errors[`conditions[${n}]`] : undefined);
  const id = (part: string) => `c${n}-${part}`;
  const described = (part: string) => (error(part) ? html` aria-describedby="${id(part)}-error" aria-invalid="true"` : html``);
  const message = (part: string) => (error(part) ? html`<span class="error" id="${id(part)}-error">${error(part)}</span>` : '');
  return html`<fieldset class="card condition">
    <legend>Condition ${n + 1}</legend>
    <label for="${id('fact')}">Fact</label>
    <select id="${id('fact')}" name="c${n}.fact"${described('fact')}>
      ${FACT_OPTIONS.map((f) => html`<option value="${f}" ${f === r.fact ? html`selected` : ''}>${factWords(f)}</option>`)}
    </select>
    ${message('fact')}
    <label for="${id('op')}">How it compares</label>
    <select id="${id('op')}" name="c${n}.op"${described('op')}>
      ${ops.map((op) => html`<option value="${op}" ${op === r.op ? html`selected` : ''}>${OP_WORDS[op]}</option>`)}
    </select>
    ${message('op')}
    <label for="${id('value')}">Value</label>
    <input id="${id('value')}" name="c${n}.value" value="${r.value}" autocomplete="off"${described('value')} />
    <span class="muted">${valueHint(kind ?? 'text', r.op)}</span>
    ${message('value')}
    <label><input type="checkbox" name="c${n}.remove" value="1" /> Remove this condition</label>
  </fieldset>`;
}

export function segmentBuilderPage(ctx: PageContext, state: BuilderState): HttpResponse {
  const { form, errors, preview } = state;
  const rows = state.blankRow || form.rows.length === 0 ? [...form.rows, { fact: 'loyalty.tier', op: 'eq', value: '' }] : form.rows;
  const action = state.isNew ? '/admin/segments/new' : `/admin/segments/${encodeURIComponent(form.id)}`;
  const title = state.isNew ? 'New segment' : `Segment ${form.name || form.id}`;
  const fieldError = (path: string) => (errors[path] ? html`<span class="error" id="${path}-error">${errors[path]}</span>` : '');
  const invalid = (path: string) => (errors[path] ? html` aria-invalid="true" aria-describedby="${path}-error"` : html``);
  const other = Object.entries(errors).filter(([p]) => !/^(id|name|description|match|conditions\[\d+\])/.test(p));
  return page(
    title,
    ctx,
    html`<p><a href="/admin/segments">All segments</a></p>
      <h1>${title}</h1>
      ${other.length ? html`<p class="alert" role="alert">${other.map(([p, m]) => `${p}: ${m}`).join('; ')}</p>` : ''}
      ${preview ? countSection(preview) : ''}
      <form method="post" action="${action}">
        ${csrfField(ctx.csrf)}
        <section class="card">
          ${
            state.isNew
              ? html`<label for="id">Id (lowercase letters, digits and dashes)</label>
                  <input id="id" name="id" value="${form.id}" required${invalid('id')} />${fieldError('id')}`
              : html`<input type="hidden" name="id" value="${form.id}" />`
          }
          <label for="name">Name</label>
          <input id="name" name="name" value="${form.name}" required${invalid('name')} />${fieldError('name')}
          <label for="description">Description (optional)</label>
          <input id="description" name="description" value="${form.description}" />
          <fieldset>
            <legend>Customers who match</legend>
            ${(['all', 'any'] as const).map(
              (m) =>
                html`<label><input type="radio" name="match" value="${m}" ${checked(form.match === m)} /> ${m} of the conditions</label>`,
            )}
          </fieldset>
        </section>
        ${rows.map((r, n) => row(n, r, errors))}
        <p>
          <button type="submit" name="intent" value="count" class="secondary">Count matching customers</button>
          ${rows.length < MAX_ROWS ? html`<button type="submit" name="intent" value="add" class="secondary">Add a condition</button>` : ''}
          ${may(ctx, 'editor') ? html`<button type="submit" name="intent" value="save">Save</button>` : ''}
        </p>
      </form>`,
    Object.keys(errors).length ? 400 : 200,
  );
}

function countSection(preview: SegmentPreview): Html {
  const n = preview.count;
  return html`<section class="card" aria-live="polite">
    <h2>${n.toLocaleString('en')} ${n === 1 ? 'customer matches' : 'customers match'} now</h2>
    ${
      preview.sample.length
        ? html`<ul>
            ${preview.sample.map((s) => html`<li>${s.customerId}: ${s.matched.map((m) => m.text).join('; ')}</li>`)}
          </ul>`
        : ''
    }
  </section>`;
}

export function segmentsPage(ctx: PageContext, segments: Segment[]): HttpResponse {
  return page(
    'Segments',
    { ...ctx },
    html`<h1>Segments</h1>
      <p>Which customers, by what tactful already knows of them: the audience of a broadcast, or a filter on a campaign's trigger.</p>
      ${may(ctx, 'editor') ? html`<p><a class="button" href="/admin/segments/new">New segment</a></p>` : ''}
      ${
        segments.length
          ? html`<table class="stack">
              <thead>
                <tr>
                  <th scope="col">Segment</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                ${segments.map(
                  (s) =>
                    html`<tr>
                      <td><a href="/admin/segments/${encodeURIComponent(s.id)}">${s.name}</a></td>
                      <td>${describeSegment(s)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">No segment yet.</p>`
      }`,
  );
}

/** The conditions of a saved segment, as sentences (for the broadcast pages). */
export const conditionSentences = (segment: Segment): string[] => segment.conditions.map(describeCondition);
