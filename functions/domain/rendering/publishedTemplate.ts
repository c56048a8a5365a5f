import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../events/events';
import { candidateContextKeys } from './context';
import { templateSampleSchema } from './sample';
import { templateLimitProblems } from './templateLimits';

/** A version is named by the hash of everything published with it (templateSource.ts): 12 hex digits. */
export const TEMPLATE_VERSION_LENGTH = 12;
const TEMPLATE_VERSION = new RegExp(`^[0-9a-f]{${TEMPLATE_VERSION_LENGTH}}$`);
export const isTemplateVersion = (value: string): boolean => TEMPLATE_VERSION.test(value);
export const templateVersionSchema = z.string().refine(isTemplateVersion, `a published version: ${TEMPLATE_VERSION_LENGTH} hex digits`);

/** The data a template may read, each field with the personalization level it needs (data minimization by construction). */
export const fieldDeclarationSchema = z
  .object({
    type: z.enum(['string', 'number', 'date', 'list', 'url']),
    level: z.enum(['none', 'basic', 'full']),
    required: z.boolean().default(false),
    description: z.string().optional(),
  })
  .strict();

/**
 * A declared field: a dotted path of plain names under data the send path gathers (customer, cart,
 * …). Names such as __proto__ or constructor never reach the code that copies declared fields.
 */
export const fieldPathSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/, 'a field is a dotted path of names made of letters, digits and _')
  .refine(
    (path) => !path.split('.').some((name) => name === 'constructor' || name === 'prototype'),
    'constructor and prototype cannot be field names',
  )
  .refine(
    (path) => (candidateContextKeys as readonly string[]).includes(path.split('.')[0]!),
    `a field starts with one of ${candidateContextKeys.join(', ')}`,
  );

export const localeStringsSchema = z
  .object({
    subject: z.string().min(1).max(200),
    preheader: z.string().max(200).default(''),
    strings: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/** What publishing stores and the send path renders: MJML already compiled, Handlebars still in place. */
export const publishedTemplateSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    html: z.string(),
    text: z.string(),
    locales: z.partialRecord(z.enum(SUPPORTED_LOCALES), localeStringsSchema),
    fields: z.record(fieldPathSchema, fieldDeclarationSchema),
    publishedAt: z.string(),
    /** The files it was built from (path → text), so the console can show any version's source. */
    source: z.record(z.string(), z.string()).optional(),
    /** Sample recipients, so any version can be previewed and test-sent where the repository is not. */
    samples: z.record(z.string(), templateSampleSchema).optional(),
  })
  // Size and nesting, before anything parses a part: each problem names its part (locales.pl.strings.why) and the limit.
  .superRefine((template, ctx) => {
    for (const problem of templateLimitProblems(template)) {
      ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
    }
  });

export type FieldDeclaration = z.infer<typeof fieldDeclarationSchema>;
export type LocaleStrings = z.infer<typeof localeStringsSchema>;
export type PublishedTemplate = z.infer<typeof publishedTemplateSchema>;
