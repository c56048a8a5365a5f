import { DateTime } from 'luxon';
import { z } from 'zod';
import { quietHoursSchema, variantsSchema } from '../journeys/campaign';
import { isDuration } from '../time/duration';
import { MARKETING_TOPICS } from '../events/events';
import { isClockTime } from '../pacing/quietHours';

/**
 * A broadcast is data: one email to a segment's customers, at an instant or at a local time in each
 * recipient's zone (docs/broadcasts.md). This module validates it (zod: the admin function only).
 */
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes, at most 64');

const instant = z
  .string()
  .refine(
    (v) => /T/.test(v) && DateTime.fromISO(v, { setZone: true }).isValid && /(Z|[+-]\d\d:?\d\d)$/.test(v),
    'must be an ISO-8601 instant with its offset, such as 2026-12-01T09:00:00Z, or {"localTime": "10:00", "date": "2026-12-01"}',
  );
const localTime = z
  .object({
    localTime: z.string().refine(isClockTime, 'must be a time of day from 00:00 to 23:59, such as 10:00'),
    date: z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid, 'must be a date such as 2026-12-01'),
  })
  .strict();

export const broadcastSchema = z
  .object({
    id: slug,
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    template: slug,
    topic: z.enum(MARKETING_TOPICS, { message: `must be one of ${MARKETING_TOPICS.join(', ')}` }),
    segment: slug,
    sendAt: z.union([instant, localTime], {
      message: 'must be an ISO-8601 instant such as 2026-12-01T09:00:00Z, or {"localTime": "10:00", "date": "2026-12-01"}',
    }),
    /** Emails a second at most (never above the account's SES maximum send rate). */
    throttlePerSecond: z.number().int('must be a whole number').min(1).max(10_000).optional(),
    /** Share of the audience (0–1) who get nothing, recorded as held-out, so lift can be measured. */
    holdout: z.number().min(0).max(0.5, 'must be at most 0.5').default(0),
    variants: variantsSchema.optional(),
    /** Against other mail for the same customer's last cap slot, as a campaign's priority. */
    priority: z.number().int().min(0).max(100).default(50),
    /** A recipient inside quiet hours: held to their end (the default), or skipped. */
    whenQuiet: z.enum(['hold', 'skip']).default('hold'),
    quietHours: quietHoursSchema.optional(),
    requiredLevel: z.enum(['none', 'basic', 'full']).default('basic'),
    attributionWindow: z.string().refine(isDuration, 'must be an ISO-8601 duration such as P5D').default('P5D'),
  })
  .strict();

export type BroadcastDefinition = z.infer<typeof broadcastSchema>;
export type BroadcastInput = z.input<typeof broadcastSchema>;

/** How long ago an instant may be and still count as "now" (a form submitted a few seconds late). */
const PAST_GRACE_MS = 60_000;

/**
 * The problem with a broadcast's time, as `{path, message}`, or undefined. A local time is in the past
 * once its date has passed in the shop's zone; a zone where the time has passed today is sent at once.
 */
export function sendAtProblem(
  sendAt: BroadcastDefinition['sendAt'],
  now: string,
  shopZone: string,
): { path: string; message: string } | undefined {
  if (typeof sendAt === 'string') {
    return Date.parse(sendAt) < Date.parse(now) - PAST_GRACE_MS
      ? { path: 'sendAt', message: `is in the past (it is ${now} now)` }
      : undefined;
  }
  const today = DateTime.fromISO(now, { zone: shopZone }).toISODate()!;
  return sendAt.date < today ? { path: 'sendAt.date', message: `is in the past (today is ${today} in ${shopZone})` } : undefined;
}
