import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from '../../domain/events/events';
import { fieldPathSchema, type FieldDeclaration } from '../../domain/rendering/publishedTemplate';
import { error, type Problem } from './problems';

/**
 * A template folder as the checks read it: the three sources, the declared fields and each locale's
 * strings, with what is missing or not valid JSON said on the way (file and line).
 */

export interface LocaleStrings {
  /** The file as written, to find the line a string is on. */
  raw: string;
  /** `subject` and `preheader` with the `strings`, every one text. */
  strings: Record<string, string>;
}

export interface TemplateFolder {
  mjml?: string;
  text?: string;
  fields: Record<string, FieldDeclaration>;
  locales: Partial<Record<Locale, LocaleStrings>>;
}

export const STRING_FILE = (locale: Locale): string => `locales/${locale}.json`;

export function readTemplateFolder(base: string, problems: Problem[]): TemplateFolder {
  const read = (file: string): string | undefined => (existsSync(join(base, file)) ? readFileSync(join(base, file), 'utf8') : undefined);
  const mjml = read('template.mjml');
  const text = read('template.txt.hbs');
  const manifest = read('template.json');
  if (mjml === undefined) problems.push(error('template.mjml', 'missing: every template needs its MJML source'));
  if (text === undefined) problems.push(error('template.txt.hbs', 'missing: every email needs a plain-text part'));
  if (manifest === undefined) problems.push(error('template.json', 'missing: declare the fields the template reads'));

  const fields = manifest === undefined ? {} : parseManifest(manifest, problems);
  const locales: TemplateFolder['locales'] = {};
  for (const locale of SUPPORTED_LOCALES) {
    const file = STRING_FILE(locale);
    const raw = read(file);
    if (raw === undefined) {
      problems.push(error(file, `missing locale ${locale}: customers who read ${locale} would get English`));
      continue;
    }
    const parsed = parseJsonAt(raw, file, problems) as { subject?: unknown; preheader?: unknown; strings?: unknown } | undefined;
    if (!parsed) continue;
    if (typeof parsed.subject !== 'string' || !parsed.subject.trim())
      problems.push(error(file, 'needs a "subject"', lineOf(raw, 'subject')));
    const strings: Record<string, string> = { subject: String(parsed.subject ?? ''), preheader: String(parsed.preheader ?? '') };
    for (const [key, value] of Object.entries((parsed.strings as Record<string, unknown>) ?? {})) {
      if (typeof value === 'string') strings[key] = value;
      else problems.push(error(file, `string "${key}" must be text`, lineOf(raw, key)));
    }
    locales[locale] = { raw, strings };
  }
  return { mjml, text, fields, locales };
}

function parseManifest(raw: string, problems: Problem[]): Record<string, FieldDeclaration> {
  const parsed = parseJsonAt(raw, 'template.json', problems) as { fields?: Record<string, FieldDeclaration> } | undefined;
  if (!parsed || typeof parsed.fields !== 'object' || parsed.fields === null) {
    if (parsed) problems.push(error('template.json', 'needs "fields": the data the template reads, each with type and level'));
    return {};
  }
  for (const path of Object.keys(parsed.fields)) {
    const checked = fieldPathSchema.safeParse(path);
    if (!checked.success) {
      const why = checked.error.issues.map((issue) => issue.message).join('; ');
      problems.push(error('template.json', `field "${path}": ${why}`, lineOf(raw, path)));
    }
  }
  return parsed.fields;
}

function parseJsonAt(raw: string, file: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message)?.[1];
    problems.push(error(file, `not valid JSON: ${message}`, position ? raw.slice(0, Number(position)).split('\n').length : undefined));
    return undefined;
  }
}

/** The line a JSON property is written on (the first one of that name). */
export function lineOf(raw: string, key: string): number | undefined {
  const index = raw.indexOf(`${JSON.stringify(key)}:`);
  return index < 0 ? undefined : raw.slice(0, index).split('\n').length;
}
