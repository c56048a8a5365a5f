import { BoundedMap } from '../lib/boundedMap';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { z } from 'zod';
import { campaignSchema, type Campaign } from '../domain/journeys/campaign';
import { fieldErrorsOf, SUPPORTED_LOCALES, type FieldError, type Locale } from '../domain/events/events';
import {
  fieldDeclarationSchema,
  fieldPathSchema,
  localeStringsSchema,
  TEMPLATE_VERSION_LENGTH,
  type LocaleStrings,
  type PublishedTemplate,
} from '../domain/rendering/publishedTemplate';
import { templateSampleSchema, type TemplateSample } from '../domain/rendering/sample';

/**
 * Reads templates/<name>/ from disk, compiles its MJML once and produces the immutable published form.
 * This module is the only one that loads mjml; the send path never imports it.
 */

export class TemplateSourceError extends Error {
  override name = 'TemplateSourceError';
  constructor(
    readonly template: string,
    readonly problems: (FieldError & { file: string; line?: number })[],
  ) {
    super(`${template}: ${problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.path} ${p.message}`).join('; ')}`);
  }
}

const manifestSchema = z
  .object({
    description: z.string().optional(),
    fields: z.record(fieldPathSchema, fieldDeclarationSchema),
    /** `broadcasts`: no campaign is meant to send it (docs/broadcasts.md), so validation does not say none does. */
    sentBy: z.enum(['campaigns', 'broadcasts']).optional(),
  })
  .strict();

export const templatesDir = (root = process.cwd()): string => join(root, 'templates');

/** A template's folder name: one path segment of letters, digits, - and _, so no name reaches outside templates/. */
export const isTemplateFolderName = (name: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name);

export function listTemplateNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isTemplateFolderName(d.name) && existsSync(join(dir, d.name, 'template.mjml')))
    .map((d) => d.name)
    .sort();
}

function readJson(file: string, template: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateSourceError(template, [{ file, path: '(file)', message: error instanceof Error ? error.message : 'unreadable' }]);
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, template: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TemplateSourceError(
    template,
    fieldErrorsOf(parsed.error, '(root)').map((problem) => ({ file, ...problem })),
  );
}

export function readTemplateManifest(dir: string, name: string): z.infer<typeof manifestSchema> {
  const file = join(dir, name, 'template.json');
  return parseWith(manifestSchema, readJson(file, name), file, name);
}

/** `compiledHtml`: MJML's output for this folder, when the caller (validation) compiled it already without errors. */
export async function compileTemplateSource(
  dir: string,
  name: string,
  publishedAt: string,
  compiledHtml?: string,
): Promise<PublishedTemplate> {
  const base = join(dir, name);
  const mjmlFile = join(base, 'template.mjml');
  const compiled =
    compiledHtml !== undefined ? { html: compiledHtml, errors: [] } : await compileMjml(readFileSync(mjmlFile, 'utf8'), 'strict');
  if (compiled.errors.length > 0) {
    throw new TemplateSourceError(
      name,
      compiled.errors.map((e) => ({ file: mjmlFile, line: e.line, path: e.tagName, message: e.message })),
    );
  }
  const textFile = join(base, 'template.txt.hbs');
  const text = readFileSync(textFile, 'utf8');
  const manifest = readTemplateManifest(dir, name);
  const locales: Partial<Record<Locale, LocaleStrings>> = {};
  for (const locale of SUPPORTED_LOCALES) {
    const file = join(base, 'locales', `${locale}.json`);
    if (!existsSync(file)) {
      if (locale === 'en')
        throw new TemplateSourceError(name, [{ file, path: '(file)', message: 'English strings are required (the fallback)' }]);
      continue;
    }
    locales[locale] = parseWith(localeStringsSchema, readJson(file, name), file, name);
  }
  const source = readSourceFiles(dir, name);
  const samples = readSamples(dir, name);
  // Everything published is hashed: a version names exactly what sends, and what previews with it.
  const content = JSON.stringify({ html: compiled.html, text, locales, fields: manifest.fields, source, samples });
  const version = createHash('sha256').update(content).digest('hex').slice(0, TEMPLATE_VERSION_LENGTH);
  return { name, version, html: compiled.html, text, locales, fields: manifest.fields, publishedAt, source, samples };
}

/** The files a template is authored in, by path relative to its folder. */
export function readSourceFiles(dir: string, name: string): Record<string, string> {
  const base = join(dir, name);
  const files = ['template.mjml', 'template.txt.hbs', 'template.json', ...SUPPORTED_LOCALES.map((l) => `locales/${l}.json`)];
  return Object.fromEntries(files.filter((f) => existsSync(join(base, f))).map((f) => [f, readFileSync(join(base, f), 'utf8')]));
}

/** templates/<name>/samples/<id>.json: recipients to preview, validate and test-send with. */
export function readSamples(dir: string, name: string): Record<string, TemplateSample> {
  const folder = join(dir, name, 'samples');
  if (!existsSync(folder)) return {};
  return Object.fromEntries(
    readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f.slice(0, -'.json'.length), parseWith(templateSampleSchema, readJson(join(folder, f), name), join(folder, f), name)]),
  );
}

/** MJML → HTML, once per published version (never on the send path). */
export async function compileMjml(source: string, validationLevel: 'strict' | 'soft'): Promise<MjmlResult> {
  const key = `${validationLevel}:${source}`;
  let kept = compiledMjml.get(key);
  if (!kept) {
    kept = compiledMjml.keep(key, mjml2html(source, { validationLevel, keepComments: false }));
    // A compile that threw is not kept: the next save tries again.
    kept.catch(() => compiledMjml.delete(key));
  }
  const result = await kept;
  return { ...result, errors: [...result.errors] };
}

type MjmlResult = Awaited<ReturnType<typeof mjml2html>>;

/**
 * The last MJML compiled, by source: the console editor validates on every pause in typing, and most
 * pauses change a subject, a string or a sample, not the MJML, whose compile is most of a save's CPU.
 */
const compiledMjml = new BoundedMap<string, ReturnType<typeof mjml2html>>(16);

/** A template folder holds one campaign (campaign.json) or several sharing it (campaigns.json, an array). */
export function readCampaigns(dir: string, name: string): Campaign[] {
  const one = join(dir, name, 'campaign.json');
  const many = join(dir, name, 'campaigns.json');
  const found: Campaign[] = [];
  if (existsSync(one)) found.push(parseWith(campaignSchema, readJson(one, name), one, name));
  if (existsSync(many)) found.push(...parseWith(z.array(campaignSchema), readJson(many, name), many, name));
  return found;
}
