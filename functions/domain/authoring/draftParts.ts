import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../events/events';

/**
 * A template draft holds the parts of a template folder (docs/authoring.md): MJML, plain text, field
 * declarations, every locale's subject, preheader and strings, and samples. The shape is checked here
 * (a malformed body is a 400 naming the field); whether it is a good template is validation's job,
 * and a draft is saved either way.
 */

/** Each part's size limit: a draft item must stay well under DynamoDB's 400 KB. */
export const MAX_PART_BYTES = 96 * 1024;
const text = (what: string) =>
  z.string().refine((s) => Buffer.byteLength(s) <= MAX_PART_BYTES, `${what} is over ${MAX_PART_BYTES / 1024} KB`);

export const SAMPLE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const draftLocaleSchema = z
  .object({
    subject: z.string().max(1000),
    preheader: z.string().max(1000).default(''),
    strings: z.record(z.string().max(128), z.string().max(16 * 1024)).default({}),
  })
  .strict();

export const templatePartsSchema = z
  .object({
    mjml: text('the MJML'),
    text: text('the plain text'),
    description: z.string().max(1000).optional(),
    fields: z.record(z.string().max(200), z.record(z.string(), z.unknown())),
    locales: z.partialRecord(z.enum(SUPPORTED_LOCALES), draftLocaleSchema),
    samples: z
      .record(z.string().regex(SAMPLE_ID, 'a sample id is letters, digits, _ and - (at most 64)'), z.record(z.string(), z.unknown()))
      .default({}),
  })
  .strict();

export type TemplateParts = z.infer<typeof templatePartsSchema>;

/** A campaign draft's parts are the campaign JSON (the schema of campaign.json), any object while it is a draft. */
export const campaignPartsSchema = z.record(z.string(), z.unknown());

export const draftBodySchema = <T extends z.ZodType>(parts: T) =>
  z.object({ revision: z.number().int().min(0).optional(), parts }).strict();

export interface DraftProblem {
  /** `mjml`, `text`, `fields`, `locales.pl`, `samples.gold-member`; for campaigns the field's path. */
  part: string;
  line?: number;
  message: string;
}

export interface DraftValidation {
  ok: boolean;
  errors: DraftProblem[];
  warnings: DraftProblem[];
}

/** The top-level parts that differ between two drafts (what a 409 says changed). */
export function changedParts(a: unknown, b: unknown): string[] {
  const ra = (a ?? {}) as Record<string, unknown>;
  const rb = (b ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  const changed: string[] = [];
  for (const key of keys) {
    const [x, y] = [ra[key], rb[key]];
    if (key === 'locales' && x && y && typeof x === 'object' && typeof y === 'object') {
      for (const locale of changedParts(x, y)) changed.push(`locales.${locale}`);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) changed.push(key);
  }
  return changed;
}
