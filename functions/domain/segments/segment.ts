import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { PERSONALIZATION_LEVELS } from '../customers/profile';

export * from './facts';
import { SEGMENT_FACTS, OPERATORS_BY_KIND, CONSENT_STATES, type FactKind, type Segment, type SegmentOperator } from './facts';

/** An ISO-8601 duration back from now: calendar units (P3M, P1Y) count in the calendar, in the shop's zone. */
export function isLookback(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const duration = Duration.fromISO(value);
  return duration.isValid && duration.as('milliseconds') > 0;
}

const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && DateTime.fromISO(value, { setZone: true }).isValid && /T/.test(value);
const isMoney = (value: unknown): value is { amount: number; currency: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { amount?: unknown }).amount === 'number' &&
  /^[A-Z]{3}$/.test(String((value as { currency?: unknown }).currency));

/** The problem with a condition's value for its fact and operator, in words, or undefined. */
function valueProblem(kind: FactKind, op: SegmentOperator, value: unknown): string | undefined {
  if (op === 'exists')
    return value === undefined || typeof value === 'boolean' ? undefined : 'must be true, false or left out for "exists"';
  if (op === 'within' || op === 'notWithin')
    return isLookback(value) ? undefined : 'must be an ISO-8601 duration back from now, such as P90D or P3M';
  const one = (v: unknown): string | undefined => {
    switch (kind) {
      case 'text':
        return typeof v === 'string' && v.length > 0 && v.length <= 200 ? undefined : 'must be a text of 1 to 200 characters';
      case 'number':
        return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
      case 'date':
        return isInstant(v) ? undefined : 'must be a date and time in ISO-8601, such as 2026-12-01T00:00:00Z';
      case 'flag':
        return typeof v === 'boolean' ? undefined : 'must be true or false';
      case 'money':
        return isMoney(v) ? undefined : 'must be {"amount": a number, "currency": a three-letter code such as EUR}';
      case 'consent':
        return (CONSENT_STATES as readonly unknown[]).includes(v) ? undefined : 'must be granted, withdrawn or unknown';
      case 'level':
        return (PERSONALIZATION_LEVELS as readonly unknown[]).includes(v) ? undefined : 'must be none, basic or full';
    }
  };
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0 || value.length > 50) return 'must be a list of 1 to 50 values for "in"';
    for (const v of value) {
      const problem = one(v);
      if (problem) return `each value ${problem.replace(/^must/, 'must')}`;
    }
    return undefined;
  }
  return one(value);
}

const conditionSchema = z
  .object({ fact: z.string(), op: z.string(), value: z.unknown().optional() })
  .strict()
  .superRefine((condition, ctx) => {
    const kind = SEGMENT_FACTS[condition.fact];
    if (!kind) {
      ctx.addIssue({
        code: 'custom',
        path: ['fact'],
        message: `is not a fact segments know; use one of ${Object.keys(SEGMENT_FACTS).join(', ')}`,
      });
      return;
    }
    const allowed = OPERATORS_BY_KIND[kind];
    if (!(allowed as readonly string[]).includes(condition.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `"${condition.op}" does not apply to ${condition.fact}; use one of ${allowed.join(', ')}`,
      });
      return;
    }
    const problem = valueProblem(kind, condition.op as SegmentOperator, condition.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

export const segmentSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes, at most 64, starting with a letter or digit'),
    name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
    description: z.string().max(1000, 'must be at most 1000 characters').optional(),
    match: z.enum(['all', 'any'], { message: 'must be "all" or "any"' }),
    conditions: z.array(conditionSchema).min(1, 'must have at least one condition').max(20, 'must have at most 20 conditions'),
  })
  .strict() as unknown as z.ZodType<Segment>;
