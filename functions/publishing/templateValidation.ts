import { join } from 'node:path';
import type { Locale } from '../domain/events/events';
import { BUILT_IN_HELPERS, TEMPLATE_HELPERS } from '../domain/rendering/helpers';
import { TEMPLATE_LIMITS } from '../domain/rendering/templateLimits';
import { compileMjml, compileTemplateSource, isTemplateFolderName, TemplateSourceError } from './templateSource';
import { fieldProblems } from './validation/checks/fieldsDeclared';
import { footerProblems } from './validation/checks/footer';
import { helperProblems } from './validation/checks/helpersKnown';
import { limitProblems } from './validation/checks/limits';
import { renderSamples } from './validation/checks/samplesRender';
import { stringProblems } from './validation/checks/stringsPresent';
import { lineOf, readTemplateFolder, STRING_FILE, type TemplateFolder } from './validation/folder';
import { error, type Problem, type ValidationReport } from './validation/problems';
import { emptyUse, parseSource, walkTemplate, type Source } from './validation/walker';

export type { Problem, SampleRender, ValidationReport } from './validation/problems';
export { GMAIL_CLIP_BYTES } from './validation/checks/samplesRender';

/**
 * Checks a template the way a careful reviewer would, before anyone receives it: MJML and Handlebars
 * errors with file and line, variables used but not declared (and declared but not used), unknown
 * helpers, triple-stash on customer data, missing locales and strings, the footer every marketing email
 * needs, and a render of every sample in every locale under Gmail's clipping size.
 *
 * The folder is read once (validation/folder.ts), every Handlebars source is parsed and walked once
 * (validation/walker.ts), and each check (validation/checks/) judges what the walk recorded.
 */

const HELPERS: ReadonlySet<string> = new Set<string>([...TEMPLATE_HELPERS, ...BUILT_IN_HELPERS]);

export async function validateTemplate(dir: string, name: string, now = new Date().toISOString()): Promise<ValidationReport> {
  const base = join(dir, name);
  const problems: Problem[] = [];
  if (!isTemplateFolderName(name)) {
    // `../x` (or `..%2Fx`, decoded) would read another folder: nothing outside templates/ is read.
    problems.push(error('(name)', `"${name}" is not a template folder name: letters, digits, - and _ only`));
    return { template: name, ok: false, problems, renders: [] };
  }
  const folder = readTemplateFolder(base, problems);

  let compiledHtml: string | undefined;
  if (folder.mjml !== undefined) {
    try {
      const compiled = await compileMjml(folder.mjml, 'soft');
      for (const e of compiled.errors) problems.push(error('template.mjml', `MJML: ${e.message}`, e.line));
      if (compiled.errors.length === 0) compiledHtml = compiled.html;
    } catch (e) {
      problems.push(error('template.mjml', `MJML: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  const use = emptyUse();
  for (const src of sourcesOf(folder)) {
    const over = limitProblems(src);
    if (over.length) {
      problems.push(...over);
      continue;
    }
    const parsed = parseSource(src);
    if ('problem' in parsed) problems.push(parsed.problem);
    else walkTemplate(parsed.ast, src, HELPERS, use);
  }
  problems.push(...helperProblems(use), ...fieldProblems(use, folder.fields), ...stringProblems(use, folder.locales));
  problems.push(...footerProblems(use, folder));

  const report: ValidationReport = { template: name, ok: false, problems, renders: [] };
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      report.published = await compileTemplateSource(dir, name, now, compiledHtml);
    } catch (e) {
      if (!(e instanceof TemplateSourceError)) throw e;
      for (const p of e.problems) problems.push(error(p.file.replace(`${base}/`, ''), `${p.path}: ${p.message}`, p.line));
    }
  }
  if (report.published) {
    const rendered = renderSamples(report.published);
    problems.push(...rendered.problems);
    report.renders = rendered.renders;
    if (rendered.loaded) report.loaded = rendered.loaded;
  }
  report.ok = !problems.some((p) => p.severity === 'error');
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return report;
}

/** The Handlebars sources of a template: its two parts, then every string of every locale. */
function sourcesOf(folder: TemplateFolder): Source[] {
  const { htmlBytes, textBytes, stringBytes } = TEMPLATE_LIMITS;
  const sources: Source[] = [];
  if (folder.mjml !== undefined)
    sources.push({ file: 'template.mjml', part: 'the template', source: folder.mjml, lineOffset: 0, html: true, maxBytes: htmlBytes });
  if (folder.text !== undefined)
    sources.push({ file: 'template.txt.hbs', part: 'the text part', source: folder.text, lineOffset: 0, html: false, maxBytes: textBytes });
  for (const [locale, entry] of Object.entries(folder.locales) as [Locale, NonNullable<TemplateFolder['locales'][Locale]>][]) {
    for (const [key, value] of Object.entries(entry.strings)) {
      const lineOffset = (lineOf(entry.raw, key) ?? 1) - 1;
      sources.push({ file: STRING_FILE(locale), part: `string "${key}"`, source: value, lineOffset, html: true, maxBytes: stringBytes });
    }
  }
  return sources;
}
