import type { CampaignChoices } from '../domain/authoring/editorData';
import { el } from './dom';
import { button, numberControl, selectControl, textControl, type ControlContext } from './formControls';

/**
 * The campaign form's repeated parts: conditions (fact, test, value), the events that start or end a
 * journey, variants and quiet hours; and the words each choice is shown in (the codes stay in the JSON).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the campaign JSON being edited has any shape until it validates
export type Model = Record<string, any>;

export interface FormContext extends ControlContext {
  model: Model;
  choices: CampaignChoices;
  /** The id is typed for a new campaign only: it names the draft. */
  isNew: boolean;
  redraw: () => void;
}

export const EVENT_WORDS: Record<string, string> = {
  'customer.upserted': 'a customer is created or updated',
  'consent.changed': 'a consent changes',
  'cart.updated': 'a cart changes',
  'order.placed': 'an order is placed',
  'product.viewed': 'a product is viewed',
  'loyalty.points_changed': 'loyalty points change',
  'preferences.changed': 'email preferences change',
};
export const WHEN_WORDS: Record<string, string> = { 'cart.hasItems': 'the cart has items', 'cart.isEmpty': 'the cart is empty' };
export const OPERATOR_WORDS: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is one of',
  exists: 'is known',
  changedTo: 'changed to',
  crossedUp: 'rose to at least',
  rankUp: 'moved up the ranks',
};
export const JOURNEY_WORDS: Record<string, string> = {
  cartId: 'one journey per cart',
  customer: 'one journey per customer',
  orderId: 'one journey per order',
  tier: 'one journey per loyalty tier',
};
export const TOPIC_WORDS: Record<string, string> = {
  cart_reminders: 'cart reminders',
  loyalty: 'loyalty offers',
  recommendations: 'product recommendations',
  newsletter: 'the newsletter',
  transactional: 'order and account email (transactional)',
};
export const LEVEL_WORDS: Record<string, string> = {
  none: 'none: anyone who agreed',
  basic: 'basic: account data',
  full: 'full: behaviour too',
};

/** A condition's value as typed: lists for "is one of" and ranks, numbers and true/false as such. */
function parseValue(op: string, text: string): unknown {
  const one = (t: string): unknown => (t !== '' && !Number.isNaN(Number(t)) ? Number(t) : t === 'true' ? true : t === 'false' ? false : t);
  if (op === 'in' || op === 'rankUp')
    return text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map(one);
  return one(text.trim());
}
const showValue = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value));

export function conditions(path: string, owner: Model, ctx: FormContext, label: string): HTMLElement {
  const list: Model[] = owner['conditions'] ?? [];
  const listId = `facts-${path.replace(/[^a-z0-9]/gi, '')}`;
  const rows = list.map((condition, i) => {
    const at = `${path}.conditions[${i}]`;
    const valueControl =
      condition['op'] === 'exists'
        ? ''
        : textControl(
            `${at}.value`,
            'Value',
            {
              get: () => showValue(condition['value']),
              set: (v) => (v === undefined ? delete condition['value'] : (condition['value'] = parseValue(String(condition['op']), v))),
            },
            ctx,
            condition['op'] === 'in' || condition['op'] === 'rankUp' ? 'Separate with commas (ranks lowest first).' : undefined,
          );
    const fact = textControl(`${at}.fact`, 'Fact', { get: () => condition['fact'], set: (v) => (condition['fact'] = v ?? '') }, ctx);
    fact.querySelector('input')!.setAttribute('list', listId);
    return el(
      'fieldset',
      { class: 'condition' },
      el('legend', {}, `Condition ${i + 1}`),
      fact,
      selectControl(`${at}.op`, 'Test', ctx.choices.operators, { get: () => condition['op'], set: (v) => (condition['op'] = v) }, ctx, {
        words: OPERATOR_WORDS,
        onPick: ctx.redraw,
      }),
      valueControl,
      button(
        `Remove condition ${i + 1}`,
        () => {
          list.splice(i, 1);
          if (list.length === 0) delete owner['conditions'];
          ctx.changed();
          ctx.redraw();
        },
        ctx,
      ),
    );
  });
  return el(
    'div',
    { class: 'conditions', 'data-control-for': `${path}.conditions` },
    el('h4', {}, label),
    el(
      'datalist',
      { id: listId },
      ctx.choices.facts.map((f) => el('option', { value: f })),
    ),
    rows.length ? rows : el('p', { class: 'muted' }, 'None.'),
    button(
      'Add a condition',
      () => {
        owner['conditions'] = [...list, { fact: ctx.choices.facts[0], op: 'eq', value: '' }];
        ctx.changed();
        ctx.redraw();
      },
      ctx,
    ),
  );
}

export function eventFields(path: string, owner: Model, ctx: FormContext): HTMLElement[] {
  return [
    selectControl(`${path}.event`, 'When', ctx.choices.eventTypes, { get: () => owner['event'], set: (v) => (owner['event'] = v) }, ctx, {
      words: EVENT_WORDS,
    }),
    selectControl(
      `${path}.when`,
      'And',
      ctx.choices.eventConditions,
      { get: () => owner['when'], set: (v) => (v === undefined ? delete owner['when'] : (owner['when'] = v)) },
      ctx,
      { words: WHEN_WORDS, none: 'always' },
    ),
    conditions(path, owner, ctx, 'Only if'),
  ];
}

export const optional =
  (owner: Model, key: string) =>
  (v: unknown): void => {
    if (v === undefined) delete owner[key];
    else owner[key] = v;
  };

export function variant(model: Model, v: Model, i: number, ctx: FormContext): HTMLElement {
  const at = `variants[${i}]`;
  const subject: Record<string, string> = v['subject'] ?? {};
  return el(
    'fieldset',
    { class: 'variant', 'data-control-for': at },
    el('legend', {}, `Variant ${i + 1}`),
    textControl(`${at}.id`, 'Variant id', { get: () => v['id'], set: (x) => (v['id'] = x ?? '') }, ctx),
    numberControl(`${at}.weight`, 'Weight', { get: () => v['weight'], set: (x) => (v['weight'] = x) }, ctx, { min: 0, step: 0.1 }),
    selectControl(`${at}.template`, 'Template', ctx.choices.templates, { get: () => v['template'], set: optional(v, 'template') }, ctx, {
      none: "the step's own",
    }),
    ctx.choices.locales.map((locale) =>
      textControl(
        `${at}.subject.${locale}`,
        `Subject (${locale})`,
        {
          get: () => subject[locale],
          set: (x) => {
            const next = { ...(v['subject'] ?? {}) };
            if (x === undefined) delete next[locale];
            else next[locale] = x;
            if (Object.keys(next).length) v['subject'] = next;
            else delete v['subject'];
          },
        },
        ctx,
        "Empty: the template's own subject.",
      ),
    ),
    button(
      `Remove variant ${i + 1}`,
      () => {
        model['variants'].splice(i, 1);
        if (model['variants'].length === 0) delete model['variants'];
        ctx.changed();
        ctx.redraw();
      },
      ctx,
    ),
  );
}

export function quietHours(model: Model, ctx: FormContext): HTMLElement {
  const value = model['quietHours'];
  const mode = value === undefined ? 'shop' : value === 'off' ? 'off' : 'own';
  return el(
    'div',
    { 'data-control-for': 'quietHours' },
    selectControl(
      'quietHours',
      'Quiet hours',
      ['shop', 'off', 'own'],
      {
        get: () => mode,
        set: (m) => {
          if (m === 'off') model['quietHours'] = 'off';
          else if (m === 'own') model['quietHours'] = { start: '21:00', end: '08:00' };
          else delete model['quietHours'];
        },
      },
      ctx,
      {
        words: { shop: "the shop's quiet hours", off: 'none: may go out at any hour', own: 'its own hours' },
        onPick: ctx.redraw,
      },
    ),
    mode === 'own'
      ? el(
          'div',
          { class: 'inline' },
          textControl(
            'quietHours.start',
            'Quiet from',
            { get: () => value.start, set: (v) => (value.start = v ?? '') },
            ctx,
            'Such as 21:00.',
          ),
          textControl('quietHours.end', 'Until', { get: () => value.end, set: (v) => (value.end = v ?? '') }, ctx, 'Such as 08:00.'),
        )
      : '',
  );
}
