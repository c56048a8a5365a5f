import { z } from 'zod';
import { MARKETING_TOPICS, SHOP_EVENT_TYPES } from './events';
import { isDuration } from './duration';
import { isClockTime } from './quietHours';

/**
 * A campaign is data: what starts a journey, its steps, what cancels it. Definitions live beside their
 * templates (templates/<name>/campaign.json) and are deployed to the catalog table.
 */

const duration = z.string().refine(isDuration, 'must be an ISO-8601 duration such as PT1H');
const clockTime = z.string().refine(isClockTime, 'must be a time of day such as 21:00');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes');

/** Conditions on the triggering event. Kept as a closed list so a typo fails validation, not silently at runtime. */
export const EVENT_CONDITIONS = ['cart.hasItems', 'cart.isEmpty'] as const;
export type EventCondition = (typeof EVENT_CONDITIONS)[number];

const eventType = z.string().refine((t) => (SHOP_EVENT_TYPES as string[]).includes(t), {
  message: `must be one of ${SHOP_EVENT_TYPES.join(', ')}`,
});

export const campaignSchema = z
  .object({
    id: slug,
    version: z.number().int().min(1),
    name: z.string().min(1).max(200),
    /** Marketing mail needs consent and obeys caps and quiet hours; transactional mail (orders) does not. */
    kind: z.enum(['marketing', 'transactional']).default('marketing'),
    topic: z.enum([...MARKETING_TOPICS, 'transactional']),
    priority: z.number().int().min(0).max(100).default(50),
    trigger: z.object({ event: eventType, when: z.enum(EVENT_CONDITIONS).optional() }),
    /** Which event field names a journey: one live journey per (customer, campaign, key). */
    journeyKey: z.enum(['cartId', 'customer']),
    steps: z
      .array(z.object({ id: slug, delay: duration, template: slug }))
      .min(1)
      .max(10),
    cancelOn: z.array(z.object({ event: eventType, when: z.enum(EVENT_CONDITIONS).optional() })).default([]),
    /** After a journey has sent, how long before the same key may start another. */
    reentryAfter: duration.default('P1D'),
    /** The least personalization a customer must allow for this campaign to reach them. */
    requiredLevel: z.enum(['none', 'basic', 'full']).default('basic'),
    /** What a capped send does: give up (a stale cart reminder helps no one) or wait for a free slot. */
    whenCapped: z.enum(['skip', 'defer']).default('skip'),
    /** At least this long between two emails of this campaign to one customer. */
    minInterval: duration.optional(),
    /** Overrides the shop's quiet hours; "off" for mail that may go out at any hour. */
    quietHours: z.union([z.literal('off'), z.object({ start: clockTime, end: clockTime }).strict()]).optional(),
  })
  .strict()
  .refine((c) => (c.kind === 'transactional') === (c.topic === 'transactional'), {
    path: ['topic'],
    message: 'is "transactional" exactly when kind is "transactional"',
  });

export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;
