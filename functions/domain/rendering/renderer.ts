import type { Locale } from '../events';
import { DEFAULT_PERSONALIZATION, levelRank, type PersonalizationLevel } from '../profile';
import type { PublishedTemplate } from './publishedTemplate';
import { readerFormats, type ReaderFormats } from './formats';
import { followsPlainly, isHttpUrl, queryOf, withTracking, type Tracking } from './links';
import {
  BUILT_IN_BLOCKS,
  BUILT_IN_INLINE,
  compile,
  escapeHtml,
  PollutedPrototypeError,
  RENDER_BUDGET,
  RenderBudget,
  RenderBudgetError,
  SafeHtml,
  spend,
  type CompileOptions,
  type ConditionalHelper,
  type InlineHelper,
  type TemplateData,
  type TemplateFunction,
} from './templateCompiler';
import { TemplateLimitError, templateLimitProblems } from './templateLimits';

/**
 * Renders a published template: compiled once per template version and kept for the container's
 * life, so a send costs microseconds (MJML already ran at publish time).
 */

export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  constructor(
    readonly template: string,
    readonly version: string,
    cause: unknown,
  ) {
    super(`template ${template}@${version} failed to render: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const RENDER_OUTPUT_CHARS = RENDER_BUDGET.outputChars;

/** A render that went over its budget (RenderBudgetError): sends skip it with reason `render-budget`, and it does not publish. */
export class TemplateBudgetError extends TemplateRenderError {
  override name = 'TemplateBudgetError';
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface RenderData extends TemplateData {
  locale: Locale;
  timeZone: string;
  level: PersonalizationLevel;
  tracking?: Tracking;
  /** A string of this locale by key, for `{{t}}` calls not compiled in. */
  strings: StringLookup;
  /** Amounts, dates and plurals in the reader's locale and zone. */
  formats: ReaderFormats;
}

/**
 * A link tracking simply follows ("?" and the step's query): text wherever text is wanted, and where
 * it is escaped, its address escaped and the query escaped once per campaign step, not once per email
 * (it is all & and =). Helpers that take a link read its text (asText).
 */
class TrackedLink {
  // Private: a link is text to a template, with no fields of its own to iterate or look up.
  readonly #url: string;
  readonly #query: string;
  readonly #tracking: Tracking;
  constructor(url: string, query: string, tracking: Tracking) {
    this.#url = url;
    this.#query = query;
    this.#tracking = tracking;
  }
  toString(): string {
    return `${this.#url}?${this.#query}`;
  }
  toHTML(): string {
    let escaped = escapedQueries.get(this.#tracking);
    if (escaped === undefined) escapedQueries.set(this.#tracking, (escaped = escapeHtml(this.#query)));
    return `${escapeHtml(this.#url)}?${escaped}`;
  }
}
const escapedQueries = new WeakMap<Tracking, string>();
const asText = (value: unknown): unknown => (value instanceof TrackedLink ? value.toString() : value);

const px = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 64;
};

/** Whitespace a subject line cannot show as it is: a run of two, or any but a plain space. */
const SUBJECT_GAPS = /\s\s|[^\S ]/;
/** Controls, and bidi overrides that make a subject read otherwise than it is: ingest strips them from data, this from the rest. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
const SUBJECT_UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** A subject on one line, its whitespace runs single spaces. Most have none to collapse, and testing is cheaper than replacing. */
const tidySubject = (subject: string): string => {
  const oneLine = SUBJECT_GAPS.test(subject) ? subject.replace(/\s+/g, ' ') : subject;
  SUBJECT_UNPRINTABLE.lastIndex = 0;
  return (SUBJECT_UNPRINTABLE.test(oneLine) ? oneLine.replace(SUBJECT_UNPRINTABLE, '') : oneLine).trim();
};

/** Plain text without the blank lines a block or an empty value leaves, ending in one newline. */
function tidyText(text: string): string {
  const tidy = text.includes('\n\n\n') ? text.replace(/\n{3,}/g, '\n\n') : text;
  return tidy.trim() + '\n';
}

/** Whether a `{{t}}` call passes the string anything beside `fallback=`. */
function hasParameters(hash: Record<string, unknown>): boolean {
  for (const name in hash) if (name !== 'fallback') return true;
  return false;
}

/** The root with a call's parameters over it. Object.assign, not spread: V8 spreads a second object slowly (~1.6 µs here against ~0.1). */
function withParameters(root: Record<string, unknown>, hash: Record<string, unknown>): Record<string, unknown> {
  const context = Object.assign({}, root);
  for (const name in hash) if (name !== 'fallback') context[name] = hash[name];
  return context;
}

const INLINE_HELPERS: Record<string, InlineHelper> = {
  t: ([key], hash, data) => {
    const { strings, root } = data as RenderData;
    // A computed key ({{t (concat "offer_" loyalty.tier) fallback="offer_default"}}) may name no string.
    const fallback = hash['fallback'] as string | undefined;
    const string = strings(key) ?? (fallback ? strings(fallback) : undefined);
    if (!string) throw new Error(`unknown string "${String(key)}"`);
    // Strings read the root context and the call's own parameters (fallback= is the helper's, not the
    // string's); their output escapes its own values. Without parameters, nothing is copied.
    const context = hasParameters(hash) ? withParameters(root as Record<string, unknown>, hash) : root;
    const output = string(context, data);
    spend(data.budget!, output.length);
    return new SafeHtml(output);
  },
  money: ([amount, currency], _hash, data) => (data as RenderData).formats.formatMoney(amount as number, currency as string),
  date: ([iso], _hash, data) => (data as RenderData).formats.longDate(iso as string),
  concat: (args) => {
    // As join(''): null and undefined add nothing.
    let joined = '';
    for (const arg of args) if (arg != null) joined += String(arg);
    return joined;
  },
  plural: ([count], hash, data) => {
    const category = (data as RenderData).formats.plural(count as number);
    return hash[category] ?? hash['other'] ?? '';
  },
  // Only http(s) reaches an href; the campaign's tracking parameters are added to the shop's own links.
  link: ([given], _hash, data) => {
    const url = asText(given);
    if (!isHttpUrl(url)) return '';
    const { tracking } = data as RenderData;
    if (!tracking) return url;
    const query = followsPlainly(url) ? queryOf(tracking) : '';
    return query ? new TrackedLink(url, query, tracking) : withTracking(url, tracking);
  },
  // A missing or unsafe picture becomes its alt text in a neutral box, so the layout holds.
  image: ([given], hash) => {
    const url = asText(given);
    const { alt = '', width = 64, height = width } = hash as { alt?: string; width?: number; height?: number };
    const size = `width="${px(width)}" height="${px(height)}"`;
    if (isHttpUrl(url))
      return new SafeHtml(
        `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}" ${size} style="display:block;border-radius:4px;object-fit:cover" />`,
      );
    return new SafeHtml(
      `<span style="display:block;width:${px(width)}px;height:${px(height)}px;background:#e4e7eb;border-radius:4px;font-size:11px;line-height:14px;color:#52606d;overflow:hidden;text-align:center">${escapeHtml(alt)}</span>`,
    );
  },
};

const CONDITIONAL_HELPERS: Record<string, ConditionalHelper> = {
  // {{#requireLevel "full"}}personal block{{else}}its fallback{{/requireLevel}}: the customer's own choice decides.
  requireLevel: ([level], _hash, data) => {
    // A misspelt level would rank -1 and show the block to everyone.
    if (levelRank(level as PersonalizationLevel) < 0) throw new Error(`requireLevel: unknown level "${String(level)}"`);
    return levelRank((data as RenderData).level) >= levelRank(level as PersonalizationLevel);
  },
};

/** Every helper a template may call beside the built-in ones: validation rejects anything else. */
export const TEMPLATE_HELPERS: readonly string[] = [...Object.keys(INLINE_HELPERS), ...Object.keys(CONDITIONAL_HELPERS)];
export const BUILT_IN_HELPERS: readonly string[] = [...BUILT_IN_BLOCKS, ...BUILT_IN_INLINE];

const HTML: CompileOptions = { escape: true, inline: INLINE_HELPERS, conditional: CONDITIONAL_HELPERS };
// Subject and plain text are not HTML: escaping there would show "&amp;" to readers.
const PLAIN: CompileOptions = { ...HTML, escape: false };

export interface CompiledTemplate {
  name: string;
  version: string;
  fields: PublishedTemplate['fields'];
  /**
   * `subject` overrides the locale's subject (an experiment variant; compiled once and kept); `level` is
   * the customer's personalization level for requireLevel blocks; `tracking` goes on every {{link}}.
   */
  render(locale: Locale, timeZone: string, context: Record<string, unknown>, options?: RenderOptions): RenderedEmail;
}

export interface RenderOptions {
  subject?: string;
  level?: PersonalizationLevel;
  tracking?: Tracking;
}

type StringLookup = (key: unknown) => TemplateFunction | undefined;

/**
 * Most strings are compiled into the template; the rest (computed keys, strings given parameters)
 * are compiled on first use, once. Own keys only: `{{t "toString"}}` names no string.
 */
function stringLookup(sources: Readonly<Record<string, string>>, options: CompileOptions, compile: TemplateEngine): StringLookup {
  // A computed key is a new string each time: a Map hashes it, a property lookup would first intern it.
  const known = new Map<string, string | TemplateFunction>(Object.entries(sources));
  return (key) => {
    const string = known.get(key as string);
    if (typeof string !== 'string') return string;
    const compiled = compile(string, options);
    known.set(key as string, compiled);
    return compiled;
  };
}

interface LocaleTemplates {
  subject: TemplateFunction;
  html: TemplateFunction;
  text: TemplateFunction;
  /** For `{{t}}` calls not compiled in: computed keys, or strings given parameters. */
  strings: { html: StringLookup; plain: StringLookup };
}

/** Compiles one source: ours, or (in the parity test) Handlebars itself with the same helpers. */
export type TemplateEngine = (source: string, options: CompileOptions) => TemplateFunction;

/**
 * One HTML and one text function per locale, each with that locale's strings compiled in; all at once,
 * so a template that cannot compile fails where sends expect it: as a render error. (Strings not
 * compiled in, called with computed keys or parameters, compile on first use, once per container.)
 */
function compileLocales(published: PublishedTemplate, compile: TemplateEngine): Map<Locale, LocaleTemplates> {
  try {
    // Size and nesting first, part by part: Handlebars' parser is slow on deep nesting.
    const over = templateLimitProblems(published);
    if (over.length) throw new TemplateLimitError(over);
    const perLocale = new Map<Locale, LocaleTemplates>();
    for (const [locale, strings] of Object.entries(published.locales) as [Locale, PublishedTemplate['locales'][Locale]][]) {
      if (!strings) continue;
      const sources = { ...strings.strings, subject: strings.subject, preheader: strings.preheader };
      const inlined = { helper: 't', sources };
      perLocale.set(locale, {
        subject: compile(strings.subject, PLAIN),
        html: compile(published.html, { ...HTML, inlined }),
        text: compile(published.text, { ...PLAIN, inlined }),
        strings: { html: stringLookup(sources, HTML, compile), plain: stringLookup(sources, PLAIN, compile) },
      });
    }
    return perLocale;
  } catch (error) {
    throw new TemplateRenderError(published.name, published.version, error);
  }
}

/**
 * A version that cannot compile, remembered as such: every render throws the error it failed with, so
 * a send path that keeps it never parses it again (one failure per version and container, not per send).
 */
export function unrenderableTemplate(published: PublishedTemplate, error: TemplateRenderError): CompiledTemplate {
  return {
    name: published.name,
    version: published.version,
    fields: published.fields,
    render() {
      throw error;
    },
  };
}

export function compileTemplate(published: PublishedTemplate, engine: TemplateEngine = compile): CompiledTemplate {
  const perLocale = compileLocales(published, engine);

  const overrides = new Map<string, TemplateFunction>();
  const subjectOverride = (source: string): TemplateFunction => {
    let compiled = overrides.get(source);
    if (!compiled) overrides.set(source, (compiled = engine(source, PLAIN)));
    return compiled;
  };

  return {
    name: published.name,
    version: published.version,
    fields: published.fields,
    render(requested, timeZone, context, options = {}) {
      const locale: Locale = perLocale.has(requested) ? requested : 'en';
      const chosen = perLocale.get(locale);
      if (!chosen) throw new TemplateRenderError(published.name, published.version, new Error(`no strings for ${requested} or en`));
      try {
        const level = options.level ?? DEFAULT_PERSONALIZATION;
        const formats = readerFormats(locale)(timeZone);
        // One budget for the whole email: subject, HTML, text and every string they call.
        const budget = new RenderBudget();
        const shared = { locale, timeZone, level, tracking: options.tracking, formats, root: context, budget };
        const html: RenderData = { ...shared, strings: chosen.strings.html };
        const plain: RenderData = { ...shared, strings: chosen.strings.plain };
        const email = {
          subject: tidySubject((options.subject ? subjectOverride(options.subject) : chosen.subject)(context, plain)),
          html: chosen.html(context, html),
          text: tidyText(chosen.text(context, plain)),
        };
        if (email.html.length + email.text.length > RENDER_OUTPUT_CHARS) throw new RenderBudgetError('output');
        return email;
      } catch (error) {
        // Not this template's fault, nor this email's: the caller retries elsewhere (see lambda/send.ts).
        if (error instanceof PollutedPrototypeError) throw error;
        if (error instanceof RenderBudgetError) throw new TemplateBudgetError(published.name, published.version, error);
        throw new TemplateRenderError(published.name, published.version, error);
      }
    },
  };
}
