import { z } from 'zod';
import { MARKETING_TOPICS, SHOP_EVENT_TYPES } from './events';
import { isDuration } from './duration';

/**
 * A campaign is data: what starts a journey, its steps, what cancels it. Definitions live beside their
 * templates (templates/<name>/campaign.json) and are deployed to the catalog table.
 */

const duration = z.string().refine(isDuration, 'must be an ISO-8601 duration such as PT1H');
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
    topic: z.enum(MARKETING_TOPICS),
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
  })
  .strict();

export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;
