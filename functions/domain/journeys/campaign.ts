import { z } from 'zod';
import { MARKETING_TOPICS, SHOP_EVENT_TYPES, SUPPORTED_LOCALES } from '../events/events';
import { CONDITION_OPERATORS } from './conditions';
import { isDuration } from '../time/duration';
import { isClockTime } from '../pacing/quietHours';
import { templateVersionSchema } from '../rendering/publishedTemplate';
import type { Segment } from '../segments/facts';
import type { SubjectSpecs } from '../rendering/templateSpecs';

/**
 * A campaign is data: what starts a journey, its steps, what cancels it. Definitions live beside their
 * templates (templates/<name>/campaign.json) and are deployed to the catalog table.
 */

const duration = z.string().refine(isDuration, 'must be an ISO-8601 duration such as PT1H');
const clockTime = z.string().refine(isClockTime, 'must be a time of day such as 21:00');
/** A campaign's or broadcast's own quiet hours, or "off". */
export const quietHoursSchema = z.union([z.literal('off'), z.object({ start: clockTime, end: clockTime }).strict()]);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes');

/** Conditions on the triggering event. Kept as a closed list so a typo fails validation, not silently at runtime. */
export const EVENT_CONDITIONS = ['cart.hasItems', 'cart.isEmpty'] as const;
export type EventCondition = (typeof EVENT_CONDITIONS)[number];

const condition = z
  .object({ fact: z.string().min(1), op: z.enum(CONDITION_OPERATORS), value: z.unknown().optional() })
  .strict()
  .refine((c) => c.op !== 'rankUp' || (Array.isArray(c.value) && c.value.length > 1), {
    message: 'rankUp needs the ranks in order, lowest first',
    path: ['value'],
  });

/** A/B variants with weights; each may override the subject (per locale) or the template. Campaigns and broadcasts share them. */
export const variantsSchema = z.array(
  z
    .object({
      id: slug,
      weight: z.number().positive(),
      subject: z.partialRecord(z.enum(SUPPORTED_LOCALES), z.string().min(1).max(200)).optional(),
      template: slug.optional(),
    })
    .strict(),
);

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
    trigger: z
      .object({
        event: eventType,
        when: z.enum(EVENT_CONDITIONS).optional(),
        conditions: z.array(condition).optional(),
        /** Only customers in this saved segment start a journey, and each step is re-checked when it is due. */
        segment: slug.optional(),
      })
      .strict(),
    /** Which event field names a journey: one live journey per (customer, campaign, key). */
    journeyKey: z.enum(['cartId', 'customer', 'orderId', 'tier']),
    steps: z
      .array(
        z
          .object({
            id: slug,
            /** After the trigger; or, with dueBefore, instead of it. */
            delay: duration.optional(),
            /** Due this long before a date the trigger carries (e.g. points expiring), or at once if that is past. */
            dueBefore: z
              .object({ fact: z.literal('loyalty.pointsExpireAt'), offset: duration })
              .strict()
              .optional(),
            template: slug,
            /** Pins a published version (content hash); without it the step follows the template's latest. */
            templateVersion: templateVersionSchema.optional(),
            /** Re-checked at send time against the profile and cart: a step whose conditions fail is skipped. */
            conditions: z.array(condition).optional(),
            /** A reward shown only to customers of the named loyalty tiers. */
            incentive: z
              .object({ tiers: z.array(z.string().min(1)).min(1), code: z.string().min(1).max(64), percent: z.number().min(1).max(100) })
              .strict()
              .optional(),
            /** Non-personal values the template may read as step.* (e.g. which message this is). */
            params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          })
          .strict()
          .refine((step) => (step.delay === undefined) !== (step.dueBefore === undefined), {
            message: 'needs either delay or dueBefore',
            path: ['delay'],
          }),
      )
      .min(1)
      .max(10),
    cancelOn: z
      .array(z.object({ event: eventType, when: z.enum(EVENT_CONDITIONS).optional(), conditions: z.array(condition).optional() }).strict())
      .default([]),
    /** After a journey has sent, how long before the same key may start another. */
    reentryAfter: duration.default('P1D'),
    /** The least personalization a customer must allow for this campaign to reach them. */
    requiredLevel: z.enum(['none', 'basic', 'full']).default('basic'),
    /** What a capped send does: give up (a stale cart reminder helps no one) or wait for a free slot. */
    whenCapped: z.enum(['skip', 'defer']).default('skip'),
    /** What a due step does while the campaign is paused: wait for resume (hold, the default) or give up. */
    whenPaused: z.enum(['hold', 'skip']).optional(),
    /** At least this long between two emails of this campaign to one customer. */
    minInterval: duration.optional(),
    /** Overrides the shop's quiet hours; "off" for mail that may go out at any hour. */
    quietHours: quietHoursSchema.optional(),
    /** What a send due inside quiet hours does: wait for their end (the default) or give up. */
    whenQuiet: z.enum(['defer', 'skip']).optional(),
    /** A/B variants with weights; each may override the subject (per locale) or the template. */
    variants: variantsSchema.optional(),
    /** Share of customers (0–1) who get nothing, recorded as held-out, so lift can be measured. */
    holdout: z.number().min(0).max(1).default(0),
    /** Orders this long after an email count as its conversions. */
    attributionWindow: duration.default('P5D'),
  })
  .strict()
  .refine((c) => (c.kind === 'transactional') === (c.topic === 'transactional'), {
    path: ['topic'],
    message: 'is "transactional" exactly when kind is "transactional"',
  });

/**
 * A campaign as the send path reads it. `broadcast` is set only on a broadcast's campaign form
 * (functions/domain/broadcasts/campaignForm.ts), never in campaign.json: the schema has no such field.
 */
export type Campaign = z.infer<typeof campaignSchema> & { broadcast?: BroadcastMark };

export interface BroadcastMark {
  segment: string;
  /** The segment's name when the broadcast was created: the /why page names the audience. */
  segmentName: string;
  /** The segment's rule when the broadcast was created: the /why page says it in the reader's words. */
  segmentRule?: Pick<Segment, 'match' | 'conditions'>;
  /** Its variants' subjects, precompiled when it was scheduled (as publishing does a campaign's): the send path runs them. */
  subjects?: SubjectSpecs;
  /** Set once the broadcast is cancelled: every send still due of it is skipped. */
  cancelledAt?: string;
}
export type CampaignInput = z.input<typeof campaignSchema>;
