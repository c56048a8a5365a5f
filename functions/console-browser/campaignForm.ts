import { el } from './dom';
import { button, durationControl, numberControl, selectControl, textControl } from './formControls';
import {
  eventFields,
  JOURNEY_WORDS,
  LEVEL_WORDS,
  optional,
  quietHours,
  TOPIC_WORDS,
  variant,
  type FormContext,
  type Model,
} from './campaignRows';
import { step } from './campaignSteps';

/**
 * The campaign form: every field of the campaign schema (functions/domain/campaign.ts) as a control,
 * in the order a marketer thinks of them — what it is, what starts it, its steps, what ends it, its
 * variants, and the sending rules. It edits `model` in place; adding or removing a row redraws it.
 */

export type { FormContext };

export function campaignForm(ctx: FormContext): HTMLElement[] {
  const m = ctx.model;
  const steps: Model[] = (m['steps'] ??= []);
  const cancelOn: Model[] = (m['cancelOn'] ??= []);
  const variants: Model[] = m['variants'] ?? [];
  const idControl = textControl(
    'id',
    'Campaign id',
    { get: () => m['id'], set: (v) => (m['id'] = v ?? '') },
    ctx,
    'Lowercase letters, digits and dashes; it cannot change later.',
  );
  if (!ctx.isNew) idControl.querySelector('input')!.readOnly = true;
  return [
    el(
      'fieldset',
      {},
      el('legend', {}, 'The campaign'),
      idControl,
      textControl('name', 'Name', { get: () => m['name'], set: (v) => (m['name'] = v ?? '') }, ctx),
      selectControl('kind', 'Kind', ['marketing', 'transactional'], { get: () => m['kind'], set: optional(m, 'kind') }, ctx, {
        words: {
          marketing: 'marketing: needs consent, obeys caps and quiet hours',
          transactional: 'transactional: order and account email',
        },
      }),
      selectControl('topic', 'Topic', ctx.choices.topics, { get: () => m['topic'], set: (v) => (m['topic'] = v) }, ctx, {
        words: TOPIC_WORDS,
      }),
      numberControl('priority', 'Priority (0–100)', { get: () => m['priority'], set: optional(m, 'priority') }, ctx, {
        min: 0,
        max: 100,
        hint: 'When two campaigns compete for the last free slot, the higher one sends.',
      }),
      selectControl(
        'requiredLevel',
        'Needs personalization',
        ctx.choices.levels,
        { get: () => m['requiredLevel'], set: optional(m, 'requiredLevel') },
        ctx,
        {
          words: LEVEL_WORDS,
        },
      ),
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'What starts it'),
      ...eventFields('trigger', (m['trigger'] ??= {}), ctx),
      selectControl(
        'journeyKey',
        'Journeys',
        ctx.choices.journeyKeys,
        { get: () => m['journeyKey'], set: (v) => (m['journeyKey'] = v) },
        ctx,
        {
          words: JOURNEY_WORDS,
        },
      ),
      durationControl(
        'reentryAfter',
        'After a journey sent, a new one may start after',
        { get: () => m['reentryAfter'], set: optional(m, 'reentryAfter') },
        ctx,
      ),
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'Steps'),
      steps.map((s, i) => step(m, s, i, ctx)),
      steps.length < 10
        ? button(
            'Add a step',
            () => {
              steps.push({
                id: `step-${steps.length + 1}`,
                delay: 'P1D',
                ...(steps[0]?.['template'] ? { template: steps[0]['template'] } : {}),
              });
              ctx.changed();
              ctx.redraw();
            },
            ctx,
          )
        : '',
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'What ends it'),
      cancelOn.length ? '' : el('p', { class: 'muted' }, 'Nothing: every step goes out unless its own conditions fail.'),
      cancelOn.map((rule, i) =>
        el(
          'fieldset',
          { 'data-control-for': `cancelOn[${i}]` },
          el('legend', {}, `Ends the journey ${i + 1}`),
          ...eventFields(`cancelOn[${i}]`, rule, ctx),
          button(
            `Remove ending ${i + 1}`,
            () => {
              cancelOn.splice(i, 1);
              ctx.changed();
              ctx.redraw();
            },
            ctx,
          ),
        ),
      ),
      button(
        'Add an event that ends it',
        () => {
          cancelOn.push({ event: 'order.placed' });
          ctx.changed();
          ctx.redraw();
        },
        ctx,
      ),
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'Variants (A/B test)'),
      variants.length ? '' : el('p', { class: 'muted' }, 'None: everyone gets the same email.'),
      variants.map((v, i) => variant(m, v, i, ctx)),
      button(
        'Add a variant',
        () => {
          m['variants'] = [...variants, { id: `variant-${variants.length + 1}`, weight: 1 }];
          ctx.changed();
          ctx.redraw();
        },
        ctx,
      ),
    ),
    el(
      'fieldset',
      {},
      el('legend', {}, 'Sending rules'),
      numberControl(
        'holdout',
        'Holdout (% of customers who get nothing, to measure lift)',
        { get: () => m['holdout'], set: optional(m, 'holdout') },
        ctx,
        {
          min: 0,
          max: 100,
          step: 0.1,
          scale: 100,
        },
      ),
      durationControl(
        'attributionWindow',
        'Orders count as conversions for',
        { get: () => m['attributionWindow'], set: optional(m, 'attributionWindow') },
        ctx,
      ),
      selectControl(
        'whenCapped',
        'When a frequency cap is reached',
        ['skip', 'defer'],
        { get: () => m['whenCapped'], set: optional(m, 'whenCapped') },
        ctx,
        {
          words: { skip: 'skip the email', defer: 'wait for a free slot' },
        },
      ),
      selectControl(
        'whenPaused',
        'While the campaign is paused',
        ['hold', 'skip'],
        { get: () => m['whenPaused'], set: optional(m, 'whenPaused') },
        ctx,
        {
          words: { hold: 'hold due steps until resume', skip: 'skip due steps' },
          none: 'hold due steps until resume (default)',
        },
      ),
      durationControl(
        'minInterval',
        'At least this long between two of its emails to one customer',
        { get: () => m['minInterval'], set: optional(m, 'minInterval') },
        ctx,
        true,
      ),
      quietHours(m, ctx),
    ),
  ];
}
