import type { Campaign } from '../../domain/journeys/campaign';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';

/**
 * Reading catalog items back. Every writer parses with the zod schemas first (publishing parses
 * campaign.json and builds templates through the schema, the admin API parses its body), so a read
 * checks only the shape: every field the parsed type always has, with its primitive type. That keeps
 * zod (~450 KB, ~20 ms of module initialization) out of the send function's cold start.
 *
 * An item that does not have that shape — written before a field with a default existed, or damaged —
 * goes through the full schema, loaded only then: it reads exactly as it did when every read parsed.
 * test/unit/catalogItems.test.ts keeps these lists in step with the schemas.
 */

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number';
const isBoolean: Check = (v) => typeof v === 'boolean';
const isArray: Check = (v) => Array.isArray(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const each =
  (check: (v: unknown) => boolean): Check =>
  (v) =>
    isRecord(v) && Object.values(v).every(check);
const shaped =
  (shape: Record<string, Check>): ((v: unknown) => boolean) =>
  (v) =>
    isRecord(v) && Object.entries(shape).every(([key, check]) => check(v[key]));

const step = shaped({ id: isString, template: isString });

export const CAMPAIGN_SHAPE: Record<string, Check> = {
  id: isString,
  version: isNumber,
  name: isString,
  kind: isString,
  topic: isString,
  priority: isNumber,
  trigger: shaped({ event: isString }),
  journeyKey: isString,
  steps: (v) => Array.isArray(v) && v.length > 0 && v.every(step),
  cancelOn: isArray,
  reentryAfter: isString,
  requiredLevel: isString,
  whenCapped: isString,
  holdout: isNumber,
  attributionWindow: isString,
};

export const FIELD_SHAPE: Record<string, Check> = { type: isString, level: isString, required: isBoolean };
export const LOCALE_SHAPE: Record<string, Check> = { subject: isString, preheader: isString, strings: each(isString) };
export const SAMPLE_SHAPE: Record<string, Check> = { level: isString, timeZone: isString, data: isRecord };

export const TEMPLATE_SHAPE: Record<string, Check> = {
  name: isString,
  version: isString,
  html: isString,
  text: isString,
  locales: each(shaped(LOCALE_SHAPE)),
  fields: each(shaped(FIELD_SHAPE)),
  publishedAt: isString,
  source: (v) => v === undefined || each(isString)(v),
  samples: (v) => v === undefined || each(shaped(SAMPLE_SHAPE))(v),
};

export const looksLikeCampaign = shaped(CAMPAIGN_SHAPE);
export const looksLikePublishedTemplate = shaped(TEMPLATE_SHAPE);

/** A stored campaign definition, or undefined when it no longer parses (left out, not crashing every read). */
export async function campaignFromItem(definition: unknown): Promise<Campaign | undefined> {
  if (looksLikeCampaign(definition)) return definition as Campaign;
  const { campaignSchema } = await import('../../domain/journeys/campaign');
  const parsed = campaignSchema.safeParse(definition);
  return parsed.success ? parsed.data : undefined;
}

/** A stored template version without its keys; throws, as the schema does, when it is not one. */
export async function publishedTemplateFromItem(item: Record<string, unknown>): Promise<PublishedTemplate> {
  // Who published it and their note sit beside the version, not in it (the renderer never reads them).
  const { pk: _pk, sk: _sk, publishedBy: _by, note: _note, ...template } = item;
  if (looksLikePublishedTemplate(template)) return template as PublishedTemplate;
  const { publishedTemplateSchema } = await import('../../domain/rendering/publishedTemplate');
  return publishedTemplateSchema.parse(template);
}
