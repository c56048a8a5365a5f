import Handlebars from 'handlebars';
import type { Campaign } from '../journeys/campaign';
import type { Locale } from '../events/events';
import { CONDITIONAL_HELPERS, INLINE_HELPERS } from './helpers';
import type { LocaleStrings, PublishedTemplate } from './publishedTemplate';
import { loadTemplate, TemplateRenderError, type CompiledTemplate } from './renderer';
import { TemplateLimitError, templateLimitProblems } from './templateLimits';
import {
  isPartialName,
  STRING_KEY_HELPER,
  type StringSpecs,
  type SubjectSpecs,
  type TemplateSpec,
  type TemplateSpecs,
} from './templateSpecs';
import { checkSubset, parseTemplate, refuseSelfInclusion } from './templateSubset';
import { BoundedMap } from '../../lib/boundedMap';

/**
 * Publishing's half of rendering: every source of a version checked against the subset templates may
 * use (templateSubset.ts) and precompiled with Handlebars' own compiler, once, into the specs the send
 * path runs with the runtime-only build (renderer.ts). Only publishing loads this module: the send
 * function's bundle carries neither Handlebars' parser nor its compiler.
 */

/**
 * Helpers called by name go straight to the helper (knownHelpersOnly), and a bare name that no helper
 * has is a plain path: `{{log}}` and Handlebars' missing-helper hooks are not callable.
 */
const KNOWN_HELPERS: Record<string, boolean> = {
  ...Object.fromEntries([...INLINE_HELPERS, ...CONDITIONAL_HELPERS, STRING_KEY_HELPER].map((name) => [name, true])),
  log: false,
  helperMissing: false,
  blockHelperMissing: false,
};

/** The halves of Handlebars.precompile after its parse: AST to opcodes, opcodes to the spec's JavaScript. */
interface HandlebarsCompilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: object): string };
}
const { Compiler, JavaScriptCompiler } = Handlebars as unknown as HandlebarsCompilers;

/**
 * Every `{{t …}}` statement as Handlebars' partial call: the locale's strings are the only partials
 * (users' own are refused by the subset), run at the root context with the caller's @data and the
 * call's parameters over it, their output inserted as it is — what the helper does, without a whole
 * template call (Handlebars sets up its helpers anew for each) per string. `{{t "key" n=1}}` becomes
 * `{{> key @root n=1}}`; a computed key or a fallback= names its partial through STRING_KEY_HELPER,
 * which picks the key or its fallback as the helper would. Done on the parsed AST, after whitespace
 * control: a string alone on its line keeps its line, as a helper call does. `(t …)` inside a
 * subexpression stays a helper call.
 *
 * For one locale's part (precompilePart, `writeIn`), a string called by its key alone is written in
 * instead of called, where that renders the same: one with no mustache anywhere (its output is its
 * source), one with mustaches where the context is the root's, as the partial's is (not inside `each`
 * or `with`; its own `{{t}}` calls stay partial calls, so nothing is written in twice over).
 */
function stringsAsPartials(program: hbs.AST.Program | undefined, keys: Set<string>, writeIn?: WriteIn, atRoot = false): void {
  if (!program) return;
  program.body = program.body.flatMap((node): Node[] => {
    if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      const sameContext = atRoot && CONTEXT_KEEPING.has(block.path.original);
      stringsAsPartials(block.program, keys, writeIn, sameContext);
      stringsAsPartials(block.inverse, keys, writeIn, sameContext);
      return [node];
    }
    if (node.type !== 'MustacheStatement') return [node];
    const { path, params, hash, loc } = node as hbs.AST.MustacheStatement;
    const isT = path.type === 'PathExpression' && (path as hbs.AST.PathExpression).original === 't';
    if (!isT || params.length !== 1) return [node];
    const key = params[0]!;
    const pairs = hash?.pairs ?? [];
    const fallback = pairs.find((pair) => pair.key === 'fallback');
    const parameters = pairs.filter((pair) => pair.key !== 'fallback');
    const literal = key.type === 'StringLiteral' ? (key as hbs.AST.StringLiteral).value : undefined;
    const written =
      writeIn && literal !== undefined && !fallback && !parameters.length ? writtenIn(literal, writeIn, atRoot, keys) : undefined;
    if (written) return written;
    let name: hbs.AST.PathExpression | hbs.AST.SubExpression;
    if (literal !== undefined && !fallback && isPartialName(literal)) {
      keys.add(literal);
      name = { type: 'PathExpression', data: false, depth: 0, parts: [literal], original: literal, loc } as hbs.AST.PathExpression;
    } else {
      const helper = { type: 'PathExpression', data: false, depth: 0, parts: [STRING_KEY_HELPER], original: STRING_KEY_HELPER, loc };
      const fallbackHash = fallback ? { type: 'Hash', pairs: [fallback], loc } : undefined;
      name = { type: 'SubExpression', path: helper, params: [key], hash: fallbackHash, loc } as hbs.AST.SubExpression;
    }
    const root = { type: 'PathExpression', data: true, depth: 0, parts: ['root'], original: '@root', loc };
    const partialHash = parameters.length ? { type: 'Hash', pairs: parameters, loc } : undefined;
    return [
      {
        type: 'PartialStatement',
        name,
        params: [root],
        hash: partialHash,
        indent: '',
        strip: { open: false, close: false },
        loc,
      } as Node,
    ];
  });
}
type Node = hbs.AST.Statement;

/** Blocks whose body and else run in the context around them (the helpers call `options.fn(this)`). */
const CONTEXT_KEEPING = new Set(['if', 'unless', ...CONDITIONAL_HELPERS]);

/** What a part of one locale may have written in: the locale's strings, and how many characters more. */
interface WriteIn {
  strings: Readonly<Record<string, string>>;
  chars: number;
}

/**
 * At most this much string source is written into one part (beyond it strings are called): a string
 * called a thousand times would otherwise be copied a thousand times into the stored specs.
 */
const WRITE_IN_CHARS = 64 * 1024;

/** The statements `{{t "key"}}` becomes when its string is written in, or undefined when it is called. */
function writtenIn(key: string, writeIn: WriteIn, atRoot: boolean, keys: Set<string>): Node[] | undefined {
  const text = Object.hasOwn(writeIn.strings, key) ? writeIn.strings[key] : undefined;
  if (text === undefined || text.length > writeIn.chars) return undefined;
  const loc = { source: '', start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };
  if (!text.includes('{{')) {
    writeIn.chars -= text.length;
    return [{ type: 'ContentStatement', value: text, original: text, loc } as Node];
  }
  // `../` in a string reaches above the root as a partial; written in, it could reach a block's context.
  if (!atRoot || text.includes('../')) return undefined;
  writeIn.chars -= text.length;
  const ast = parseTemplate(text);
  checkSubset(ast);
  // Its own strings: those with no mustache written in, the others called (never written in twice over).
  stringsAsPartials(ast, keys, writeIn, false);
  return ast.body;
}
/**
 * A source as Handlebars' spec, after the subset's checks; with the strings it calls by a literal key,
 * and those it calls as partials.
 */
export function precompileSource(source: string, escape: boolean): PrecompiledSource {
  const key = `${escape ? 'h' : 'p'}${source}`;
  const kept = precompiled.get(key) ?? precompiled.keep(key, precompileAnew(source, escape));
  return { spec: kept.spec, strings: [...kept.strings], partials: new Set(kept.partials) };
}

export interface PrecompiledSource {
  spec: TemplateSpec;
  strings: string[];
  partials: Set<string>;
}

/**
 * What a source precompiled to, by source: the console editor saves on every pause in typing, and a
 * save precompiles every part of every locale while one of them changed. A spec depends on its
 * source and the escaping alone, so the kept one is the one that would be made again.
 */
const precompiled = new BoundedMap<string, PrecompiledSource>(1024);

/**
 * A part (the HTML or the text) for one locale, its calls of the locale's strings written in where that
 * renders the same (stringsAsPartials), so a render makes fewer of Handlebars' partial calls, each of
 * which copies its options and runs a template. Kept by source and the strings it calls, as
 * precompileSource keeps.
 */
export function precompilePart(source: string, escape: boolean, strings: Readonly<Record<string, string>>): TemplateSpec {
  const generic = precompileSource(source, escape);
  const called = generic.strings.filter((key) => Object.hasOwn(strings, key));
  if (called.length === 0) return generic.spec;
  const used = Object.fromEntries(called.map((key) => [key, strings[key]!]));
  const key = `${escape ? 'h' : 'p'}${JSON.stringify(used)}\u0000${source}`;
  const writeIn = { strings: used, chars: WRITE_IN_CHARS };
  return (precompiled.get(key) ?? precompiled.keep(key, precompileAnew(source, escape, writeIn))).spec;
}

function precompileAnew(source: string, escape: boolean, writeIn?: WriteIn): PrecompiledSource {
  const ast = parseTemplate(source);
  const strings = checkSubset(ast);
  const partials = new Set<string>();
  stringsAsPartials(ast, partials, writeIn, true);
  withoutLocations(ast);
  const options = { data: true, noEscape: !escape, strict: false, knownHelpers: { ...KNOWN_HELPERS }, knownHelpersOnly: true };
  const environment = new Compiler().compile(ast, options);
  return { spec: new JavaScriptCompiler().compile(environment, options) as TemplateSpec, strings, partials };
}

/**
 * Drops where each node was written, once the checks have named lines: Handlebars writes a node's
 * location into the options of every helper call, as an object literal built anew on every call of
 * every render, and no helper of ours reads it.
 */
function withoutLocations(node: unknown): void {
  if (Array.isArray(node)) for (const item of node) withoutLocations(item);
  else if (node && typeof node === 'object') {
    const fields = node as Record<string, unknown>;
    if ('loc' in fields) fields['loc'] = undefined;
    for (const value of Object.values(fields)) if (value && typeof value === 'object') withoutLocations(value);
  }
}

/** The render's one template call (TemplateSpecs.email): our own source, the only partial call not made from a string. */
function precompileParts(): TemplateSpec {
  const options = { data: true, noEscape: true, strict: false, knownHelpers: { ...KNOWN_HELPERS }, knownHelpersOnly: true };
  return Handlebars.precompile('{{> email}}', options) as unknown as TemplateSpec;
}

/**
 * The largest HTML and text (together) precompiled once more per locale: the specs of every locale's
 * parts are stored with the version, gzipped, in one catalog item of at most 400 KB, and gzip finds no
 * repeats between copies further apart than 32 KB. A larger template renders with the generic parts.
 */
const PARTS_MAX_SOURCE = 96 * 1024;

/**
 * A version's specs: its HTML (escaped), its text (plain) and every string of every locale, its subject
 * and preheader among them, both ways. Sizes and nesting first, part by part: Handlebars' parser is
 * slow on deep nesting. Whatever fails, fails as a TemplateRenderError naming the version. The HTML
 * and text are precompiled once more per locale (`only`: just those, as for a preview of one), with
 * the locale's strings that have no mustache written in; a locale without renders with the generic ones.
 */
export function precompileTemplate(published: PublishedTemplate, only?: readonly Locale[]): TemplateSpecs {
  try {
    const over = templateLimitProblems(published);
    if (over.length) throw new TemplateLimitError(over);
    const html = precompileSource(published.html, true);
    const text = precompileSource(published.text, false);
    const partials = new Set([...html.partials, ...text.partials]);
    const locales: TemplateSpecs['locales'] = {};
    const parts: NonNullable<TemplateSpecs['parts']> = {};
    for (const [locale, strings] of Object.entries(published.locales) as [Locale, LocaleStrings | undefined][]) {
      if (!strings) continue;
      const sources = { ...strings.strings, subject: strings.subject, preheader: strings.preheader };
      if ((!only || only.includes(locale)) && published.html.length + published.text.length <= PARTS_MAX_SOURCE)
        parts[locale] = { html: precompilePart(published.html, true, sources), text: precompilePart(published.text, false, sources) };
      const specs: Record<string, StringSpecs> = {};
      const includes = new Map<string, string[]>();
      for (const [key, source] of Object.entries(sources)) {
        const escaped = precompileSource(source, true);
        specs[key] = { html: escaped.spec, plain: precompileSource(source, false).spec };
        includes.set(key, escaped.strings);
        for (const name of escaped.partials) partials.add(name);
      }
      refuseSelfInclusion([...html.strings, ...text.strings], includes);
      locales[locale] = specs;
    }
    const email = precompileParts();
    return {
      name: published.name,
      version: published.version,
      html: html.spec,
      text: text.spec,
      locales,
      parts,
      partials: [...partials].sort(),
      email,
    };
  } catch (error) {
    throw error instanceof TemplateRenderError ? error : new TemplateRenderError(published.name, published.version, error);
  }
}

/** Precompiled and loaded in one go, where publishing renders (validation, the publish check, a working copy's preview). */
export function compileTemplate(published: PublishedTemplate, only?: readonly Locale[]): CompiledTemplate {
  return loadTemplate(published, precompileTemplate(published, only));
}

/** A variant's subject that cannot be precompiled: where it is in the campaign (`variants[0].subject.pl`) and why. */
export interface SubjectProblem {
  path: string;
  message: string;
}

/** A campaign's variant subjects, precompiled for the send path, or what keeps each from compiling. */
export function precompileSubjects(campaign: Pick<Campaign, 'variants'>): { specs: SubjectSpecs; problems: SubjectProblem[] } {
  const specs = new Map<string, TemplateSpec>();
  const problems: SubjectProblem[] = [];
  for (const [i, variant] of (campaign.variants ?? []).entries()) {
    for (const [locale, source] of Object.entries(variant.subject ?? {})) {
      if (source === undefined || specs.has(source)) continue;
      try {
        specs.set(source, precompileSource(source, false).spec);
      } catch (error) {
        problems.push({ path: `variants[${i}].subject.${locale}`, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return { specs: Object.fromEntries(specs) as SubjectSpecs, problems };
}
