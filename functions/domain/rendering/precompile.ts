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
import { checkSubset, parseTemplate, TemplateSyntaxError } from './templateSubset';
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
 */
function stringsAsPartials(program: hbs.AST.Program | undefined, keys: Set<string>): void {
  if (!program) return;
  program.body = program.body.map((node) => {
    if (node.type === 'BlockStatement') {
      stringsAsPartials((node as hbs.AST.BlockStatement).program, keys);
      stringsAsPartials((node as hbs.AST.BlockStatement).inverse, keys);
      return node;
    }
    if (node.type !== 'MustacheStatement') return node;
    const { path, params, hash, loc } = node as hbs.AST.MustacheStatement;
    const isT = path.type === 'PathExpression' && (path as hbs.AST.PathExpression).original === 't';
    if (!isT || params.length !== 1) return node;
    const key = params[0]!;
    const pairs = hash?.pairs ?? [];
    const fallback = pairs.find((pair) => pair.key === 'fallback');
    const parameters = pairs.filter((pair) => pair.key !== 'fallback');
    const literal = key.type === 'StringLiteral' ? (key as hbs.AST.StringLiteral).value : undefined;
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
    return {
      type: 'PartialStatement',
      name,
      params: [root],
      hash: partialHash,
      indent: '',
      strip: { open: false, close: false },
      loc,
    } as Node;
  });
}
type Node = hbs.AST.Statement;

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

function precompileAnew(source: string, escape: boolean): PrecompiledSource {
  const ast = parseTemplate(source);
  const strings = checkSubset(ast);
  const partials = new Set<string>();
  stringsAsPartials(ast, partials);
  const options = { data: true, noEscape: !escape, strict: false, knownHelpers: { ...KNOWN_HELPERS }, knownHelpersOnly: true };
  const environment = new Compiler().compile(ast, options);
  return { spec: new JavaScriptCompiler().compile(environment, options) as TemplateSpec, strings, partials };
}

/** The render's one template call (TemplateSpecs.email): our own source, the only partial call not made from a string. */
function precompileParts(): TemplateSpec {
  const options = { data: true, noEscape: true, strict: false, knownHelpers: { ...KNOWN_HELPERS }, knownHelpersOnly: true };
  return Handlebars.precompile('{{> email}}', options) as unknown as TemplateSpec;
}

/** A string that reaches itself through `{{t "…"}}` would render for ever: refused, with the way round. */
function refuseSelfInclusion(roots: readonly string[], includes: ReadonlyMap<string, readonly string[]>): void {
  const done = new Set<string>();
  const visit = (key: string, chain: readonly string[]): void => {
    if (chain.includes(key)) throw new TemplateSyntaxError(`string "${key}" includes itself: ${[...chain, key].join(' → ')}`);
    const next = includes.get(key);
    if (done.has(key) || !next) return;
    for (const included of next) visit(included, [...chain, key]);
    done.add(key);
  };
  for (const key of [...roots, ...includes.keys()]) visit(key, []);
}

/**
 * A version's specs: its HTML (escaped), its text (plain) and every string of every locale, its subject
 * and preheader among them, both ways. Sizes and nesting first, part by part: Handlebars' parser is
 * slow on deep nesting. Whatever fails, fails as a TemplateRenderError naming the version.
 */
export function precompileTemplate(published: PublishedTemplate): TemplateSpecs {
  try {
    const over = templateLimitProblems(published);
    if (over.length) throw new TemplateLimitError(over);
    const html = precompileSource(published.html, true);
    const text = precompileSource(published.text, false);
    const partials = new Set([...html.partials, ...text.partials]);
    const locales: TemplateSpecs['locales'] = {};
    for (const [locale, strings] of Object.entries(published.locales) as [Locale, LocaleStrings | undefined][]) {
      if (!strings) continue;
      const sources = { ...strings.strings, subject: strings.subject, preheader: strings.preheader };
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
      partials: [...partials].sort(),
      email,
    };
  } catch (error) {
    throw error instanceof TemplateRenderError ? error : new TemplateRenderError(published.name, published.version, error);
  }
}

/** Precompiled and loaded in one go, where publishing renders (validation, the publish check, a working copy's preview). */
export function compileTemplate(published: PublishedTemplate): CompiledTemplate {
  return loadTemplate(published, precompileTemplate(published));
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
