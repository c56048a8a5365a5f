import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from '../../functions/domain/events/events';
import { templateSampleSchema, type TemplateSample } from '../../functions/domain/rendering/sample';
import { listTemplateNames, readSamples, readTemplateManifest, templatesDir } from '../../functions/publishing/templateSource';
import { type ValidationReport } from '../../functions/publishing/templateValidation';
import { validateTemplateInFolder } from '../../functions/publishing/folderChecks';
import { isLocale, previewPublished } from '../../functions/usecases/templates';
import { admin, AdminApiError, UsageError } from './adminClient';

/**
 * `npx tactful templates …`: list, validate and preview work on templates/ in this repository;
 * publish, rollback and test-send talk to a running tactful through the admin API.
 */

export const TEMPLATES_USAGE = `
  templates list                                     templates here, their locales and samples, and what is published
  templates validate [name]                          MJML, Handlebars, declared fields, locales, footer, sample renders
  templates preview <name> [--locale pl] [--sample id | --profile file.json] [--out file.html] [--png]
                                                     render as a customer would get it (--png: desktop and mobile screenshots)
  templates publish <name>                           validate, compile once and publish an immutable version
  templates rollback <name> --to <version>           point the template back at an earlier version
  templates test-send <name> --to <address> [--locale pl] [--sample id | --profile file.json]
                                                     send the published version to yourself, marked [Test]
`;

export interface TemplateOptions {
  locale?: string;
  sample?: string;
  profile?: string;
  out?: string;
  png?: boolean;
  to?: string;
  json?: boolean;
}

export async function templatesCommand(command: string | undefined, name: string | undefined, options: TemplateOptions): Promise<void> {
  const dir = templatesDir();
  if (command === 'list') return list(dir, options.json ?? false);
  if (command === 'validate') return validate(dir, name);
  if (!name) throw new UsageError(`missing the template name after "templates ${command ?? ''}"`);
  if (command !== 'rollback' && command !== 'test-send' && !listTemplateNames(dir).includes(name)) {
    throw new UsageError(`no template "${name}" in ${relative(process.cwd(), dir) || dir}/ (have: ${listTemplateNames(dir).join(', ')})`);
  }
  if (command === 'preview') return preview(dir, name, options);
  if (command === 'publish') return publish(dir, name);
  if (command === 'rollback') {
    if (!options.to) throw new UsageError('rollback needs --to <version> (see: npx tactful templates list)');
    const pointer = (await admin('POST', `/admin/api/templates/${encodeURIComponent(name)}/rollback`, { version: options.to })) as {
      version?: unknown;
    };
    if (pointer.version !== options.to) throw new Error(`unexpected answer from tactful: ${JSON.stringify(pointer)}`);
    return void console.log(`${name} now sends version ${options.to}`);
  }
  if (command === 'test-send') {
    if (!options.to) throw new UsageError('test-send needs --to <address>');
    const body = { to: options.to, locale: localeOf(options), ...sampleOf(options) };
    const sent = (await admin('POST', `/admin/api/templates/${encodeURIComponent(name)}/test-send`, body)) as {
      version: string;
      sample: string;
      locale: string;
      messageId: string;
    };
    return void console.log(
      `sent ${name}@${sent.version} (${sent.locale}, sample ${sent.sample}) to ${options.to}: SES message ${sent.messageId}`,
    );
  }
  throw new UsageError(`unknown command "templates ${command ?? ''}"`);
}

async function list(dir: string, asJson: boolean): Promise<void> {
  let published: Map<string, { version: string; publishedAt: string }> | undefined;
  try {
    const answer = (await admin('GET', '/admin/api/templates')) as { templates: { name: string; version: string; publishedAt: string }[] };
    published = new Map(answer.templates.map((t) => [t.name, t]));
  } catch {
    published = undefined; // listing what is here is useful without a running tactful
  }
  const rows = listTemplateNames(dir).map((name) => ({
    name,
    description: readTemplateManifest(dir, name).description ?? '',
    locales: SUPPORTED_LOCALES.filter((l) => existsSync(join(dir, name, 'locales', `${l}.json`))),
    samples: Object.keys(readSamples(dir, name)),
    published: published?.get(name),
  }));
  if (asJson) return void console.log(JSON.stringify(rows, null, 2));
  for (const r of rows) {
    const pub =
      published === undefined
        ? 'published: (tactful not reachable)'
        : r.published
          ? `published: ${r.published.version} (${r.published.publishedAt})`
          : 'published: never';
    console.log(`${r.name}\n  ${r.description}\n  locales: ${r.locales.join(', ')} · samples: ${r.samples.join(', ') || 'none'} · ${pub}`);
  }
}

function printReport(dir: string, report: ValidationReport): void {
  const where = relative(process.cwd(), join(dir, report.template)) || report.template;
  for (const p of report.problems) console.log(`${where}/${p.file}${p.line ? `:${p.line}` : ''}  ${p.severity}  ${p.message}`);
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const renders = report.renders.length
    ? `, ${report.renders.length} sample renders (largest HTML ${Math.ceil(Math.max(...report.renders.map((r) => r.htmlBytes)) / 1024)} KB)`
    : '';
  console.log(`${report.template}: ${errors ? `${errors} error(s)` : 'valid'}${warnings ? `, ${warnings} warning(s)` : ''}${renders}`);
}

async function validate(dir: string, name: string | undefined): Promise<void> {
  const names = name ? [name] : listTemplateNames(dir);
  if (name && !listTemplateNames(dir).includes(name) && !existsSync(join(dir, name)))
    throw new UsageError(`no template "${name}" in ${dir}`);
  let failed = 0;
  for (const n of names) {
    const report = await validateTemplateInFolder(dir, n);
    printReport(dir, report);
    if (!report.ok) failed++;
  }
  if (failed) {
    process.exitCode = 1;
    console.log(`${failed} of ${names.length} template(s) failed validation`);
  }
}

function localeOf(options: TemplateOptions): Locale {
  const locale = options.locale ?? 'en';
  if (!isLocale(locale)) throw new UsageError(`--locale must be one of ${SUPPORTED_LOCALES.join(', ')}`);
  return locale;
}

/** --sample names a stored sample; --profile is a file in the sample format, or just the data. */
function sampleOf(options: TemplateOptions): { sample?: string; sampleData?: TemplateSample } {
  if (options.sample && options.profile) throw new UsageError('give --sample or --profile, not both');
  if (!options.profile) return options.sample ? { sample: options.sample } : {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(options.profile, 'utf8'));
  } catch (error) {
    throw new UsageError(`--profile ${options.profile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const wrapped = raw && typeof raw === 'object' && 'data' in raw ? raw : { data: raw };
  const parsed = templateSampleSchema.safeParse(wrapped);
  if (!parsed.success)
    throw new UsageError(
      `--profile ${options.profile}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  return { sampleData: parsed.data };
}

async function preview(dir: string, name: string, options: TemplateOptions): Promise<void> {
  const locale = localeOf(options);
  const report = await validateTemplateInFolder(dir, name);
  if (!report.published) {
    printReport(dir, report);
    throw new Error(`${name} does not compile; fix the errors above first`);
  }
  const shop = {
    shopName: process.env['SHOP_NAME'] ?? 'Demo Shop',
    shopPostalAddress: process.env['SHOP_POSTAL_ADDRESS'] ?? 'ul. Przykładowa 1, 00-001 Warszawa, Poland',
    fromAddress: '',
  };
  const result = previewPublished(report.published, { locale, ...sampleOf(options) }, shop);
  const out = options.out ?? `preview-${name}-${locale}.html`;
  writeFileSync(out, result.email.html);
  const textOut = out.replace(/\.html?$/, '') + '.txt';
  writeFileSync(textOut, `Subject: ${result.email.subject}\n\n${result.email.text}`);
  console.log(`subject: ${result.email.subject}`);
  console.log(`sample ${result.sample}, fields used: ${result.fieldsUsed.join(', ') || 'none'}`);
  console.log(`HTML ${Math.ceil(Buffer.byteLength(result.email.html) / 1024)} KB → ${out}; text → ${textOut}`);
  if (report.problems.some((p) => p.severity === 'error'))
    console.log(`note: ${name} has validation errors (npx tactful templates validate ${name})`);
  if (options.png) {
    const { screenshotEmail } = await import('./screenshot');
    const base = out.replace(/\.html?$/, '');
    for (const shot of await screenshotEmail(result.email.html, base))
      console.log(`${shot.label} screenshot (${shot.width}px) → ${shot.path}`);
  }
}

async function publish(dir: string, name: string): Promise<void> {
  const report = await validateTemplateInFolder(dir, name);
  printReport(dir, report);
  if (!report.ok || !report.published) throw new Error(`${name} was not published: fix the errors above`);
  try {
    const result = (await admin('POST', `/admin/api/templates/${encodeURIComponent(name)}/versions`, report.published)) as {
      version?: unknown;
      changed?: unknown;
    };
    if (result.version !== report.published.version) throw new Error(`unexpected answer from tactful: ${JSON.stringify(result)}`);
    console.log(
      result.changed
        ? `published ${name}@${result.version}: the next sends use it`
        : `${name}@${result.version} is already the published version`,
    );
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 413)
      throw new Error(`${name} is too large to publish through the API`, { cause: error });
    throw error;
  }
}
