import { el } from './dom';
import { button, checkboxControl, durationControl, numberControl, selectControl, textControl } from './formControls';
import { conditions, optional, type FormContext, type Model } from './campaignRows';

/** One step of a campaign: its timing (a delay, or before the points expire), template, conditions, reward and step.* values. */
export function step(model: Model, s: Model, i: number, ctx: FormContext): HTMLElement {
  const at = `steps[${i}]`;
  const steps: Model[] = model['steps'];
  const beforeDate = s['dueBefore'] !== undefined;
  const timing = el(
    'div',
    { class: 'inline' },
    checkboxControl('before the loyalty points expire, instead of after a delay', beforeDate, ctx, (checked) => {
      if (checked) {
        delete s['delay'];
        s['dueBefore'] = { fact: 'loyalty.pointsExpireAt', offset: 'P7D' };
      } else {
        delete s['dueBefore'];
        s['delay'] = 'PT1H';
      }
      ctx.changed();
      ctx.redraw();
    }),
  );
  const incentive: Model | undefined = s['incentive'];
  const params: Record<string, unknown> = s['params'] ?? {};
  return el(
    'fieldset',
    { class: 'step', 'data-control-for': at },
    el('legend', {}, `Step ${i + 1}`),
    textControl(
      `${at}.id`,
      'Step id',
      { get: () => s['id'], set: (v) => (s['id'] = v ?? '') },
      ctx,
      'Lowercase letters, digits and dashes.',
    ),
    timing,
    beforeDate
      ? durationControl(
          `${at}.dueBefore.offset`,
          'How long before they expire',
          {
            get: () => s['dueBefore']?.offset,
            set: (v) => (s['dueBefore'] = { fact: 'loyalty.pointsExpireAt', offset: v }),
          },
          ctx,
        )
      : durationControl(
          `${at}.delay`,
          i === 0 ? 'After the trigger, wait' : 'After the trigger, wait',
          {
            get: () => s['delay'],
            set: (v) => (s['delay'] = v),
          },
          ctx,
        ),
    selectControl(`${at}.template`, 'Template', ctx.choices.templates, { get: () => s['template'], set: optional(s, 'template') }, ctx, {
      none: '(choose a published template)',
    }),
    textControl(
      `${at}.templateVersion`,
      'Pinned version',
      { get: () => s['templateVersion'], set: optional(s, 'templateVersion') },
      ctx,
      'Empty: the latest published version.',
    ),
    conditions(at, s, ctx, 'Sent only if, at send time'),
    el('h4', {}, 'Reward'),
    checkboxControl('Offer a reward to some loyalty tiers', incentive !== undefined, ctx, (checked) => {
      if (checked) s['incentive'] = { tiers: ['gold'], code: '', percent: 10 };
      else delete s['incentive'];
      ctx.changed();
      ctx.redraw();
    }),
    incentive
      ? el(
          'div',
          { class: 'inline' },
          textControl(
            `${at}.incentive.tiers`,
            'For tiers',
            {
              get: () => (incentive['tiers'] ?? []).join(', '),
              set: (v) =>
                (incentive['tiers'] = (v ?? '')
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean)),
            },
            ctx,
            'Separate with commas.',
          ),
          textControl(`${at}.incentive.code`, 'Code', { get: () => incentive['code'], set: (v) => (incentive['code'] = v ?? '') }, ctx),
          numberControl(
            `${at}.incentive.percent`,
            'Percent off',
            { get: () => incentive['percent'], set: (v) => (incentive['percent'] = v) },
            ctx,
            {
              min: 1,
              max: 100,
            },
          ),
        )
      : '',
    el('h4', {}, 'Values the template reads as step.*'),
    Object.entries(params).map(([key, value], p) =>
      el(
        'div',
        { class: 'inline' },
        textControl(
          `${at}.params.${key}`,
          `Name ${p + 1}`,
          {
            get: () => key,
            set: (v) => {
              const next: Record<string, unknown> = {};
              for (const [k, val] of Object.entries(params)) next[k === key ? (v ?? '') : k] = val;
              s['params'] = next;
            },
          },
          ctx,
        ),
        textControl(
          `${at}.params.${key}.value`,
          `Value ${p + 1}`,
          {
            get: () => String(value),
            set: (v) => (params[key] = v !== undefined && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : (v ?? '')),
          },
          ctx,
        ),
        button(
          `Remove ${key || 'value'}`,
          () => {
            delete params[key];
            if (Object.keys(params).length === 0) delete s['params'];
            ctx.changed();
            ctx.redraw();
          },
          ctx,
        ),
      ),
    ),
    button(
      'Add a value',
      () => {
        s['params'] = { ...params, [`name${Object.keys(params).length + 1}`]: '' };
        ctx.changed();
        ctx.redraw();
      },
      ctx,
    ),
    el(
      'p',
      { class: 'toolbar' },
      steps.length > 1
        ? button(
            `Remove step ${i + 1}`,
            () => {
              steps.splice(i, 1);
              ctx.changed();
              ctx.redraw();
            },
            ctx,
          )
        : '',
    ),
  );
}
