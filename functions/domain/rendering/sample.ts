import { z } from 'zod';
import { PERSONALIZATION_LEVELS } from '../customers/profile';
import { candidateContextKeys, pickDeclared, type Links, type Shop } from './context';
import { trackingFor } from './links';
import type { CompiledTemplate, RenderedEmail, SubjectTemplate } from './renderer';
import type { Locale } from '../events/events';

/**
 * A sample recipient for previews, validation and test sends: the data a template could see (the same
 * shape as a real send's candidate context) and the personalization level the recipient chose. Links
 * and the shop come from where it is rendered.
 */
export const templateSampleSchema = z
  .object({
    description: z.string().max(200).optional(),
    level: z.enum(PERSONALIZATION_LEVELS).default('basic'),
    timeZone: z.string().default('Europe/Warsaw'),
    data: z.record(z.enum(candidateContextKeys), z.unknown()),
  })
  .strict();

export type TemplateSample = z.infer<typeof templateSampleSchema>;

export const PREVIEW_LINKS: Links = {
  unsubscribe: 'https://example.com/u/preview',
  preferences: 'https://example.com/preferences/preview',
  why: 'https://example.com/why/preview',
};

/** Exactly what a send does with the same data: declared fields only, at the sample's level. */
export function renderSample(
  template: CompiledTemplate,
  sample: TemplateSample,
  locale: Locale,
  { links = PREVIEW_LINKS, shop, subject }: { links?: Links; shop: Shop; subject?: SubjectTemplate },
): { email: RenderedEmail; fieldsUsed: string[] } {
  const candidate = { ...sample.data, step: sample.data.step ?? {}, links, shop };
  const { context, fieldsUsed } = pickDeclared(candidate, template.fields, sample.level);
  // `subject` replaces the locale's subject, as a variant's does in a send.
  const options = { level: sample.level, tracking: trackingFor('preview', 'sample'), ...(subject ? { subject } : {}) };
  const email = template.render(locale, sample.timeZone, context, options);
  return { email, fieldsUsed };
}
