import Handlebars from 'handlebars';
import type { Campaign } from '../campaign';
import type { Locale } from '../events';
import { CONDITIONAL_HELPERS, INLINE_HELPERS } from './helpers';
import type { LocaleStrings, PublishedTemplate } from './publishedTemplate';
import { loadTemplate, TemplateRenderError, type CompiledTemplate } from './renderer';
import { TemplateLimitError, templateLimitProblems } from './templateLimits';
import type { StringSpecs, SubjectSpecs, TemplateSpec, TemplateSpecs } from './templateSpecs';
import { checkSubset, parseTemplate, TemplateSyntaxError } from './templateSubset';

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
  ...Object.fromEntries([...INLINE_HELPERS, ...CONDITIONAL_HELPERS].map((name) => [name, true])),
  log: false,
  helperMissing: false,
  blockHelperMissing: false,
};

/** A source as Handlebars' spec, after the subset's checks; with the strings it calls by a literal key. */
export function precompileSource(source: string, escape: boolean): { spec: TemplateSpec; strings: string[] } {
  const strings = checkSubset(parseTemplate(source));
  const options = { noEscape: !escape, strict: false, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true };
  return { spec: Handlebars.precompile(source, options) as unknown as TemplateSpec, strings };
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
      }
      refuseSelfInclusion([...html.strings, ...text.strings], includes);
      locales[locale] = specs;
    }
    return { name: published.name, version: published.version, html: html.spec, text: text.spec, locales };
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
