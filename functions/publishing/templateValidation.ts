import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { SUPPORTED_LOCALES, type Locale } from '../domain/events/events';
import { PERSONALIZATION_LEVELS } from '../domain/customers/profile';
import { ALWAYS_AVAILABLE, MissingDataError } from '../domain/rendering/context';
import { fieldPathSchema, type FieldDeclaration, type PublishedTemplate } from '../domain/rendering/publishedTemplate';
import { BUILT_IN_HELPERS, TEMPLATE_HELPERS } from '../domain/rendering/helpers';
import { compileTemplate } from '../domain/rendering/precompile';
import type { CompiledTemplate } from '../domain/rendering/renderer';
import { renderSample } from '../domain/rendering/sample';
import { sourceLimitProblems, TEMPLATE_LIMITS } from '../domain/rendering/templateLimits';
import { compileMjml, compileTemplateSource, isTemplateFolderName, TemplateSourceError } from './templateSource';

/**
 * Checks a template the way a careful reviewer would, before anyone receives it: MJML and Handlebars
 * errors with file and line, variables used but not declared (and declared but not used), unknown
 * helpers, triple-stash on customer data, missing locales and strings, the footer every marketing email
 * needs, and a render of every sample in every locale under Gmail's clipping size.
 */

export interface Problem {
  severity: 'error' | 'warning';
  /** Relative to the template's folder. */
  file: string;
  line?: number;
  message: string;
}

export interface SampleRender {
  sample: string;
  locale: Locale;
  subject: string;
  htmlBytes: number;
  textBytes: number;
  fieldsUsed: string[];
}

export interface ValidationReport {
  template: string;
  ok: boolean;
  problems: Problem[];
  renders: SampleRender[];
  /** Present when the template compiled: what publish would store. */
  published?: PublishedTemplate;
  /** The samples rendered with this, loaded once: the console's preview renders with it too. */
  loaded?: CompiledTemplate;
}

/** Gmail clips messages whose HTML is larger than this, hiding the footer (and its unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

const STRING_FILE = (locale: Locale) => `locales/${locale}.json`;
const HELPERS = new Set<string>([...TEMPLATE_HELPERS, ...BUILT_IN_HELPERS]);
/** Shapes of the always-available data, so a typo there is caught too (step.* is free-form). */
const KNOWN_ALWAYS: Record<string, readonly string[] | undefined> = {
  links: ['unsubscribe', 'preferences', 'why'],
  shop: ['name', 'postalAddress', 'logoUrl', 'brandColor', 'supportAddress'],
  step: undefined,
};

interface Reference {
  /** Dotted path from the root; `[]` marks "an element of this list". */
  path: string;
  file: string;
  line: number;
  escaped: boolean;
}

interface Usage {
  refs: Reference[];
  stringKeys: { key: string; file: string; line: number }[];
  /** Names passed to {{t}} as parameters: the strings may read them. */
  stringParams: Set<string>;
  /** Whether some {{t}} computes its key: then strings cannot be reported unused by name. */
  computedKeys: boolean;
}

type Node = { type: string; loc?: { start: { line: number } } } & Record<string, unknown>;
type PathNode = Node & { original: string; parts: string[]; data: boolean; depth: number; this?: boolean };

export async function validateTemplate(dir: string, name: string, now = new Date().toISOString()): Promise<ValidationReport> {
  const base = join(dir, name);
  const problems: Problem[] = [];
  if (!isTemplateFolderName(name)) {
    // `../x` (or `..%2Fx`, decoded) would read another folder: nothing outside templates/ is read.
    problems.push({ severity: 'error', file: '(name)', message: `"${name}" is not a template folder name: letters, digits, - and _ only` });
    return { template: name, ok: false, problems, renders: [] };
  }
  const error = (file: string, message: string, line?: number) =>
    problems.push({ severity: 'error', file, message, ...(line ? { line } : {}) });
  const warn = (file: string, message: string, line?: number) =>
    problems.push({ severity: 'warning', file, message, ...(line ? { line } : {}) });
  const read = (file: string): string | undefined => (existsSync(join(base, file)) ? readFileSync(join(base, file), 'utf8') : undefined);

  const mjmlSource = read('template.mjml');
  const textSource = read('template.txt.hbs');
  const manifestSource = read('template.json');
  if (mjmlSource === undefined) error('template.mjml', 'missing: every template needs its MJML source');
  if (textSource === undefined) error('template.txt.hbs', 'missing: every email needs a plain-text part');
  if (manifestSource === undefined) error('template.json', 'missing: declare the fields the template reads');

  const fields = manifestSource === undefined ? {} : parseManifest(manifestSource, error);
  const locales: Partial<Record<Locale, { raw: string; strings: Record<string, string> }>> = {};
  for (const locale of SUPPORTED_LOCALES) {
    const raw = read(STRING_FILE(locale));
    if (raw === undefined) {
      error(STRING_FILE(locale), `missing locale ${locale}: customers who read ${locale} would get English`);
      continue;
    }
    const parsed = parseJsonAt(raw, STRING_FILE(locale), error) as
      { subject?: unknown; preheader?: unknown; strings?: unknown } | undefined;
    if (!parsed) continue;
    if (typeof parsed.subject !== 'string' || !parsed.subject.trim())
      error(STRING_FILE(locale), 'needs a "subject"', lineOf(raw, 'subject'));
    const strings: Record<string, string> = { subject: String(parsed.subject ?? ''), preheader: String(parsed.preheader ?? '') };
    for (const [key, value] of Object.entries((parsed.strings as Record<string, unknown>) ?? {})) {
      if (typeof value === 'string') strings[key] = value;
      else error(STRING_FILE(locale), `string "${key}" must be text`, lineOf(raw, key));
    }
    locales[locale] = { raw, strings };
  }

  let compiledHtml: string | undefined;
  if (mjmlSource !== undefined) {
    try {
      const compiled = await compileMjml(mjmlSource, 'soft');
      for (const e of compiled.errors) error('template.mjml', `MJML: ${e.message}`, e.line);
      if (compiled.errors.length === 0) compiledHtml = compiled.html;
    } catch (e) {
      error('template.mjml', `MJML: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // Handlebars: parse every source, then walk what each reads.
  const usage: Usage = { refs: [], stringKeys: [], stringParams: new Set(), computedKeys: false };
  const sources: { file: string; part: string; source: string; lineOffset: number; html: boolean; maxBytes: number }[] = [];
  const { htmlBytes, textBytes, stringBytes } = TEMPLATE_LIMITS;
  if (mjmlSource !== undefined) {
    sources.push({ file: 'template.mjml', part: 'the template', source: mjmlSource, lineOffset: 0, html: true, maxBytes: htmlBytes });
  }
  if (textSource !== undefined) {
    sources.push({ file: 'template.txt.hbs', part: 'the text part', source: textSource, lineOffset: 0, html: false, maxBytes: textBytes });
  }
  for (const [locale, entry] of Object.entries(locales) as [Locale, { raw: string; strings: Record<string, string> }][]) {
    for (const [key, value] of Object.entries(entry.strings)) {
      const lineOffset = (lineOf(entry.raw, key) ?? 1) - 1;
      sources.push({ file: STRING_FILE(locale), part: `string "${key}"`, source: value, lineOffset, html: true, maxBytes: stringBytes });
    }
  }
  for (const { file, part, source, lineOffset, html, maxBytes } of sources) {
    // Size and nesting before Handlebars parses it: its parser is slow on deep nesting.
    const over = sourceLimitProblems([part], source, maxBytes);
    if (over.length) {
      for (const problem of over) error(file, `${part} ${problem.message}`, lineOffset + 1);
      continue;
    }
    let ast: Node;
    try {
      ast = Handlebars.parse(source) as unknown as Node;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const line = /line (\d+)/.exec(message)?.[1];
      const [first, ...rest] = message.split('\n');
      const detail = rest.length ? ` — ${rest.join(' ').replace(/\s+/g, ' ').trim()}` : '';
      error(file, `Handlebars: ${first}${detail}`, line ? Number(line) + lineOffset : undefined);
      continue;
    }
    walkProgram(ast, { paths: [''], params: new Map() }, { file, lineOffset, html }, usage, error);
  }

  checkReferences(usage, fields, error);
  checkStrings(usage, locales, error, warn);
  checkFooter(mjmlSource, textSource, usage, error);

  const report: ValidationReport = { template: name, ok: false, problems, renders: [] };
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      report.published = await compileTemplateSource(dir, name, now, compiledHtml);
    } catch (e) {
      if (e instanceof TemplateSourceError)
        for (const p of e.problems) error(p.file.replace(`${base}/`, ''), `${p.path}: ${p.message}`, p.line);
      else throw e;
    }
  }
  if (report.published) renderSamples(report, error, warn);
  report.ok = !problems.some((p) => p.severity === 'error');
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return report;
}

function parseManifest(raw: string, error: (file: string, message: string, line?: number) => void): Record<string, FieldDeclaration> {
  const parsed = parseJsonAt(raw, 'template.json', error) as { fields?: Record<string, FieldDeclaration> } | undefined;
  if (!parsed || typeof parsed.fields !== 'object' || parsed.fields === null) {
    if (parsed) error('template.json', 'needs "fields": the data the template reads, each with type and level');
    return {};
  }
  for (const path of Object.keys(parsed.fields)) {
    const checked = fieldPathSchema.safeParse(path);
    if (!checked.success)
      error('template.json', `field "${path}": ${checked.error.issues.map((issue) => issue.message).join('; ')}`, lineOf(raw, path));
  }
  return parsed.fields;
}

function parseJsonAt(raw: string, file: string, error: (file: string, message: string, line?: number) => void): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message)?.[1];
    error(file, `not valid JSON: ${message}`, position ? raw.slice(0, Number(position)).split('\n').length : undefined);
    return undefined;
  }
}

/** The line a JSON property is written on (the first one of that name). */
function lineOf(raw: string, key: string): number | undefined {
  const index = raw.indexOf(`${JSON.stringify(key)}:`);
  return index < 0 ? undefined : raw.slice(0, index).split('\n').length;
}

interface WalkSource {
  file: string;
  lineOffset: number;
  html: boolean;
}

function walkProgram(
  program: Node,
  scopes: Scopes,
  src: WalkSource,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
): void {
  for (const statement of (program['body'] as Node[]) ?? []) walkStatement(statement, scopes, src, usage, error);
}

function lineOfNode(node: Node, src: WalkSource): number {
  return (node.loc?.start.line ?? 1) + src.lineOffset;
}

/**
 * The data paths of the blocks around a statement (`cart.items[]` inside {{#each cart.items}}), and
 * what the block params in reach stand for (`item` in {{#each cart.items as |item i|}} is
 * `cart.items[]`; `i`, an index, is no data).
 */
interface Scopes {
  paths: string[];
  params: ReadonlyMap<string, string | undefined>;
}

/** Resolves a path against the block scopes: `name` inside {{#each cart.items}} is `cart.items[].name`. */
function resolve(path: PathNode, scopes: Scopes): string | undefined {
  if (path.data) return path.parts[0] === 'root' ? path.parts.slice(1).join('.') : undefined; // @index, @locale …
  const head = path.parts[0];
  if (head !== undefined && path.depth === 0 && !/^(\.|this\b)/.test(path.original) && scopes.params.has(head)) {
    const stands = scopes.params.get(head);
    return stands === undefined ? undefined : [stands, ...path.parts.slice(1)].join('.');
  }
  const scope = scopes.paths[Math.max(0, scopes.paths.length - 1 - path.depth)] ?? '';
  const rest = path.parts.join('.');
  return [scope, rest].filter(Boolean).join('.');
}

function walkStatement(
  node: Node,
  scopes: Scopes,
  src: WalkSource,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
): void {
  const line = lineOfNode(node, src);
  switch (node.type) {
    case 'MustacheStatement':
      // A string's output is inserted as is: only its own escaping protects it.
      if (node['escaped'] === false && src.file.startsWith('locales/'))
        error(src.file, 'triple-stash is not allowed in strings: every value in a string is escaped', line);
      walkCall(node, scopes, src, usage, error, node['escaped'] !== false || !src.html);
      return;
    case 'SubExpression':
      walkCall(node, scopes, src, usage, error, true);
      return;
    case 'BlockStatement': {
      const head = node['path'] as PathNode;
      const params = (node['params'] as Node[]) ?? [];
      if (!HELPERS.has(head.original)) error(src.file, `unknown block helper "${head.original}"`, line);
      if (
        head.original === 'requireLevel' &&
        !(params[0]?.type === 'StringLiteral' && (PERSONALIZATION_LEVELS as readonly string[]).includes(String(params[0]['value'])))
      ) {
        error(src.file, `requireLevel needs one of ${PERSONALIZATION_LEVELS.map((l) => `"${l}"`).join(', ')}`, line);
      }
      for (const param of params) walkExpression(param, scopes, src, usage, error, true);
      walkHash(node, scopes, src, usage, error);
      const first = params[0]?.type === 'PathExpression' ? resolve(params[0] as PathNode, scopes) : undefined;
      const element = head.original === 'each' ? first && `${first}[]` : head.original === 'with' ? first : undefined;
      const declared = ((node['program'] as Node | undefined)?.['blockParams'] as string[] | undefined) ?? [];
      const names = new Map(scopes.params);
      // each gives the item and its index or key; with gives its value.
      declared.forEach((name, i) => names.set(name, i === 0 ? element : undefined));
      const inner: Scopes = { paths: element !== undefined ? [...scopes.paths, element] : scopes.paths, params: names };
      if (node['program']) walkProgram(node['program'] as Node, inner, src, usage, error);
      if (node['inverse']) walkProgram(node['inverse'] as Node, scopes, src, usage, error);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
    case 'DecoratorBlock':
    case 'Decorator':
      error(src.file, 'partials and decorators are not supported: keep each template self-contained', line);
      return;
    default:
      return; // content and comments
  }
}

function walkCall(
  node: Node,
  scopes: Scopes,
  src: WalkSource,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
  escaped: boolean,
): void {
  const head = node['path'] as Node;
  const params = (node['params'] as Node[]) ?? [];
  const hash = node['hash'] as { pairs: { key: string; value: Node }[] } | undefined;
  const line = lineOfNode(node, src);
  if (head.type !== 'PathExpression') return void error(src.file, 'only helpers and fields can be called', line);
  const name = (head as PathNode).original;
  // A block param wins over a helper of the same name, as in the compiler and Handlebars.
  if (params.length === 0 && !hash) {
    if (!HELPERS.has(name) || scopes.params.has(name)) walkExpression(head, scopes, src, usage, error, escaped);
    return;
  }
  if (!HELPERS.has(name)) return void error(src.file, `unknown helper "${name}" (known: ${TEMPLATE_HELPERS.join(', ')})`, line);
  if (name === 't') {
    const key = params[0];
    if (key?.type === 'StringLiteral') usage.stringKeys.push({ key: String(key['value']), file: src.file, line });
    else usage.computedKeys = true;
    for (const pair of hash?.pairs ?? []) if (pair.key !== 'fallback') usage.stringParams.add(pair.key);
    const fallback = hash?.pairs.find((p) => p.key === 'fallback')?.value;
    if (fallback?.type === 'StringLiteral') usage.stringKeys.push({ key: String(fallback['value']), file: src.file, line });
  }
  // Under {{{…}}} a helper's result goes in unescaped, so whatever it was given counts as unescaped too
  // ({{t}} is the exception: its strings escape their own values).
  const argumentsEscaped = escaped || name === 't';
  for (const param of params) walkExpression(param, scopes, src, usage, error, argumentsEscaped);
  walkHash(node, scopes, src, usage, error, argumentsEscaped);
}

function walkHash(
  node: Node,
  scopes: Scopes,
  src: WalkSource,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
  escaped = true,
): void {
  const hash = node['hash'] as { pairs: { value: Node }[] } | undefined;
  for (const pair of hash?.pairs ?? []) walkExpression(pair.value, scopes, src, usage, error, escaped);
}

function walkExpression(
  node: Node,
  scopes: Scopes,
  src: WalkSource,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
  escaped: boolean,
): void {
  if (node.type === 'SubExpression') return walkCall(node, scopes, src, usage, error, escaped);
  if (node.type !== 'PathExpression') return; // literals
  const path = resolve(node as PathNode, scopes);
  if (path !== undefined && path !== '') usage.refs.push({ path, file: src.file, line: lineOfNode(node, src), escaped });
}

function checkReferences(
  usage: Usage,
  fields: Record<string, FieldDeclaration>,
  error: (file: string, message: string, line?: number) => void,
): void {
  const declared = Object.keys(fields);
  const used = new Set<string>();
  const reported = new Set<string>();
  for (const ref of usage.refs) {
    const bare = ref.path.replace(/\[\]/g, '');
    const [root = '', child] = bare.split('.');
    const inStrings = ref.file.startsWith('locales/');
    let customerData = false;
    if ((ALWAYS_AVAILABLE as readonly string[]).includes(root)) {
      const known = KNOWN_ALWAYS[root];
      if (known && child !== undefined && !known.includes(child)) report(`"${bare}" does not exist (${root} has ${known.join(', ')})`);
    } else if (inStrings && usage.stringParams.has(root)) {
      // a parameter the {{t}} call passes in
    } else {
      const under = declared.find((d) => bare === d || bare.startsWith(`${d}.`));
      const parent = declared.some((d) => d.startsWith(`${bare}.`));
      if (under) used.add(under);
      customerData = Boolean(under || parent);
      if (!under && !parent) report(`undeclared variable "${bare}": declare it in template.json with its type and personalization level`);
    }
    if (customerData && !ref.escaped)
      error(ref.file, `triple-stash on "${bare}" would insert customer data unescaped: use {{${bare}}}`, ref.line);

    function report(message: string): void {
      const key = `${ref.file}:${ref.line}:${bare}`;
      if (reported.has(key)) return;
      error(ref.file, message, ref.line);
      reported.add(key);
    }
  }
  for (const field of declared) {
    if (!used.has(field)) error('template.json', `"${field}" is declared but never used: remove it, so it is not collected for this email`);
  }
}

function checkStrings(
  usage: Usage,
  locales: Partial<Record<Locale, { raw: string; strings: Record<string, string> }>>,
  error: (file: string, message: string, line?: number) => void,
  warn: (file: string, message: string, line?: number) => void,
): void {
  const english = locales.en?.strings ?? {};
  for (const locale of SUPPORTED_LOCALES) {
    const entry = locales[locale];
    if (!entry) continue;
    const missing = new Set<string>();
    for (const use of usage.stringKeys) {
      if (!Object.hasOwn(entry.strings, use.key) && !missing.has(use.key)) {
        missing.add(use.key);
        error(STRING_FILE(locale), `missing string "${use.key}" (used in ${use.file}:${use.line})`);
      }
    }
    if (locale === 'en') continue;
    for (const key of Object.keys(entry.strings)) {
      if (!(key in english)) warn(STRING_FILE(locale), `string "${key}" is not in en.json`, lineOf(entry.raw, key));
    }
    for (const key of Object.keys(english)) {
      if (!Object.hasOwn(entry.strings, key) && !missing.has(key)) error(STRING_FILE(locale), `missing string "${key}" that en.json has`);
    }
  }
  if (usage.computedKeys) return;
  const usedKeys = new Set(['subject', 'preheader', ...usage.stringKeys.map((u) => u.key)]);
  for (const key of Object.keys(english))
    if (!usedKeys.has(key)) warn('locales/en.json', `string "${key}" is never used`, lineOf(locales.en!.raw, key));
}

/** Every marketing email says why it was sent (and links its /why page), how to stop it, and where the shop is. */
function checkFooter(
  mjml: string | undefined,
  text: string | undefined,
  usage: Usage,
  error: (file: string, message: string, line?: number) => void,
): void {
  const needs = ['links.unsubscribe', 'links.preferences', 'links.why', 'shop.postalAddress'];
  for (const [file, present] of [
    ['template.mjml', mjml],
    ['template.txt.hbs', text],
  ] as const) {
    if (present === undefined) continue;
    const paths = new Set(usage.refs.filter((r) => r.file === file).map((r) => r.path));
    for (const need of needs) if (!paths.has(need)) error(file, `the footer must show {{${need}}}`);
    if (!usage.stringKeys.some((u) => u.file === file && u.key === 'why'))
      error(file, 'the footer must say why this email was sent: {{t "why"}}');
  }
}

function renderSamples(
  report: ValidationReport,
  error: (file: string, message: string, line?: number) => void,
  warn: (file: string, message: string, line?: number) => void,
): void {
  const published = report.published!;
  const samples = Object.entries(published.samples ?? {});
  if (samples.length === 0)
    return void warn('samples/', 'no samples: add samples/<name>.json so the template can be previewed and render-checked');
  const compiled = compileTemplate(published);
  report.loaded = compiled;
  const shop = { name: 'Sample Shop', postalAddress: 'ul. Przykładowa 1, 00-001 Warszawa' };
  for (const [id, sample] of samples) {
    for (const locale of SUPPORTED_LOCALES) {
      const file = `samples/${id}.json`;
      try {
        const { email, fieldsUsed } = renderSample(compiled, sample, locale, { shop });
        const htmlBytes = Buffer.byteLength(email.html);
        report.renders.push({
          sample: id,
          locale,
          subject: email.subject,
          htmlBytes,
          textBytes: Buffer.byteLength(email.text),
          fieldsUsed,
        });
        if (htmlBytes > GMAIL_CLIP_BYTES) error(file, `${locale}: HTML is ${Math.ceil(htmlBytes / 1024)} KB; Gmail clips above 102 KB`);
        if (!email.text.trim()) error(file, `${locale}: the plain-text part is empty`);
        if (/\bundefined\b|\[object Object\]/.test(email.html + email.text))
          warn(file, `${locale}: the output contains "undefined" or "[object Object]"`);
      } catch (e) {
        if (e instanceof MissingDataError) error(file, `lacks required data: ${e.fields.join(', ')}`);
        else error(file, `${locale}: ${e instanceof Error ? e.message : String(e)}`);
        break;
      }
    }
  }
}
