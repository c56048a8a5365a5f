import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SUPPORTED_LOCALES } from '../domain/events/events';
import type { DraftProblem, DraftValidation, TemplateParts } from '../domain/authoring/draftParts';
import type { PublishedTemplate } from '../domain/rendering/publishedTemplate';
import type { CompiledTemplate } from '../domain/rendering/renderer';
import { readSamples, readSourceFiles, readTemplateManifest } from './templateSource';
import { validateTemplate, type ValidationReport } from './templateValidation';
import { filesOfParts } from '../domain/authoring/partFiles';

/**
 * Drafts and template folders are the same thing in two places: this turns one into the other, and
 * validates a draft by writing it as a folder and running exactly what `templates validate` runs.
 */

export { filesOfParts };

/** A published version as a draft: its own source files when it carries them, else what it stored. */
export function partsOfPublished(published: PublishedTemplate): TemplateParts {
  const source = published.source ?? {};
  const json = (file: string): Record<string, unknown> | undefined => {
    try {
      return source[file] === undefined ? undefined : (JSON.parse(source[file]!) as Record<string, unknown>);
    } catch {
      return undefined;
    }
  };
  const manifest = json('template.json');
  const locales: TemplateParts['locales'] = {};
  for (const locale of SUPPORTED_LOCALES) {
    const stored = published.locales[locale];
    const fromFile = json(`locales/${locale}.json`) as TemplateParts['locales'][typeof locale] | undefined;
    if (fromFile ?? stored) locales[locale] = fromFile ?? stored;
  }
  return {
    mjml: source['template.mjml'] ?? '',
    text: source['template.txt.hbs'] ?? published.text,
    ...(typeof manifest?.['description'] === 'string' ? { description: manifest['description'] } : {}),
    fields: ((manifest?.['fields'] as TemplateParts['fields'] | undefined) ?? published.fields) as TemplateParts['fields'],
    locales,
    samples: (published.samples ?? {}) as TemplateParts['samples'],
  };
}

/** Writes a template folder: `<root>/<name>/…`, samples under samples/. */
export function writeTemplateFolder(root: string, name: string, files: Record<string, string>, samples: Record<string, unknown>): void {
  const base = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, file)), { recursive: true });
    writeFileSync(join(base, file), content);
  }
  for (const [id, sample] of Object.entries(samples)) {
    mkdirSync(join(base, 'samples'), { recursive: true });
    writeFileSync(join(base, 'samples', `${id}.json`), `${JSON.stringify(sample, null, 2)}\n`);
  }
}

/** A template folder read back as a draft's parts (what `templates push` uploads). */
export function partsOfFolder(dir: string, name: string): TemplateParts {
  const source = readSourceFiles(dir, name);
  const manifest = readTemplateManifest(dir, name);
  const locales: TemplateParts['locales'] = {};
  for (const locale of SUPPORTED_LOCALES) {
    const raw = source[`locales/${locale}.json`];
    if (raw !== undefined) locales[locale] = JSON.parse(raw) as TemplateParts['locales'][typeof locale];
  }
  return {
    mjml: source['template.mjml'] ?? '',
    text: source['template.txt.hbs'] ?? '',
    ...(manifest.description !== undefined ? { description: manifest.description } : {}),
    fields: JSON.parse(source['template.json'] ?? '{}').fields ?? {},
    locales,
    samples: readSamples(dir, name) as TemplateParts['samples'],
  };
}

/** Validates files as a template folder named `name`, in a scratch folder removed afterwards. */
export async function validateTemplateFiles(
  name: string,
  files: Record<string, string>,
  samples: Record<string, unknown>,
  now: string,
): Promise<ValidationReport> {
  const root = mkdtempSync(join(tmpdir(), 'tactful-draft-'));
  try {
    writeTemplateFolder(root, name, files, samples);
    return await validateTemplate(root, name, now);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Which draft part a folder file is. */
export function partOfFile(file: string): string {
  if (file === 'template.mjml') return 'mjml';
  if (file === 'template.txt.hbs') return 'text';
  if (file === 'template.json') return 'fields';
  const locale = /^locales\/(\w+)\.json$/.exec(file)?.[1];
  if (locale) return `locales.${locale}`;
  const sample = /^samples\/(.+)\.json$/.exec(file)?.[1];
  if (sample) return `samples.${sample}`;
  return file.startsWith('samples') ? 'samples' : file;
}

/** A validation report in the admin API's words: errors and warnings by part and line. */
export function draftValidationOf(report: ValidationReport): DraftValidation {
  const of = (severity: 'error' | 'warning'): DraftProblem[] =>
    report.problems
      .filter((p) => p.severity === severity)
      .map((p) => ({ part: partOfFile(p.file), ...(p.line ? { line: p.line } : {}), message: p.message }));
  return { ok: report.ok, errors: of('error'), warnings: of('warning') };
}

/** The files a published version may carry as its source: exactly a template folder's (no other path is written). */
const SOURCE_FILES = new Set(['template.mjml', 'template.txt.hbs', 'template.json', ...SUPPORTED_LOCALES.map((l) => `locales/${l}.json`)]);

/** The validation behind the admin API and console (the TemplateDraftValidator port of usecases/authoring/). */
export const folderValidator = {
  async validate(
    name: string,
    parts: TemplateParts,
    now: string,
  ): Promise<{ validation: DraftValidation; published?: PublishedTemplate; compiled?: PublishedTemplate; loaded?: CompiledTemplate }> {
    const { files, samples } = filesOfParts(parts);
    const report = await validateTemplateFiles(name, files, samples, now);
    return {
      validation: draftValidationOf(report),
      ...(report.ok && report.published ? { published: report.published } : {}),
      ...(report.published ? { compiled: report.published } : {}),
      ...(report.loaded ? { loaded: report.loaded } : {}),
    };
  },
  async validatePublished(
    template: PublishedTemplate,
    now: string,
  ): Promise<{ validation: DraftValidation; published?: PublishedTemplate }> {
    const source = template.source ?? {};
    const errors: DraftProblem[] = [];
    if (!source['template.mjml'])
      errors.push({
        part: 'source',
        message: 'carries no template.mjml: publish with `npx tactful templates publish`, which sends the source to validate',
      });
    for (const file of Object.keys(source))
      if (!SOURCE_FILES.has(file)) errors.push({ part: 'source', message: `"${file}" is not a file of a template folder` });
    if (errors.length) return { validation: { ok: false, errors, warnings: [] } };
    const report = await validateTemplateFiles(template.name, source, template.samples ?? {}, now);
    return { validation: draftValidationOf(report), ...(report.ok && report.published ? { published: report.published } : {}) };
  },
  partsOf: partsOfPublished,
};
