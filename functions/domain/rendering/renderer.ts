import Handlebars from 'handlebars';

type CompileOptions = Parameters<typeof Handlebars.compile>[1];
import type { Locale } from '../events';
import { DEFAULT_PERSONALIZATION, levelRank, type PersonalizationLevel } from '../profile';
import type { PublishedTemplate } from './publishedTemplate';
import { isHttpUrl, withTracking, type Tracking } from './links';

/**
 * Renders a published template: Handlebars functions compiled once per template version and kept for
 * the container's life, so a send costs microseconds (MJML already ran at publish time).
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

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface RenderData {
  locale: Locale;
  timeZone: string;
  level: PersonalizationLevel;
  tracking?: Tracking;
  strings: Record<string, HandlebarsTemplateDelegate>;
  /** Amounts and dates already formatted for this email: its HTML and its text show the same ones. */
  formatted: Map<string, string>;
}

/**
 * Every helper a template may call, beside Handlebars' own: validation rejects anything else, and the
 * compiler is told they are known so calls skip the helper-or-field lookup.
 */
export const TEMPLATE_HELPERS = ['t', 'money', 'date', 'plural', 'concat', 'link', 'image', 'requireLevel'] as const;
export const BUILT_IN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'] as const;

type HelperOptions = Handlebars.HelperOptions & { data: { root: unknown } & RenderData };

/** Intl formatters cost far more to build than to use: one per locale (and currency), kept. */
function memo<T>(build: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = build(key)));
    return value;
  };
}
const moneyFormat = memo((key) => {
  const [locale, currency] = key.split('|') as [string, string];
  return new Intl.NumberFormat(locale, { style: 'currency', currency });
});
const dateFormat = memo((key) => {
  const [locale, timeZone] = key.split('|') as [string, string];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
});
const pluralRules = memo((locale) => new Intl.PluralRules(locale));

/** Within one email (one locale, one zone) a value is formatted once, though HTML and text both show it. */
function formatOnce(formatted: Map<string, string>, key: string, format: () => string): string {
  let value = formatted.get(key);
  if (value === undefined) formatted.set(key, (value = format()));
  return value;
}

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('t', function (this: unknown, key: string, options: HelperOptions) {
    // A computed key ({{t (concat "offer_" loyalty.tier) fallback="offer_default"}}) may name no string.
    const fallback = (options.hash as { fallback?: string }).fallback;
    const fn = options.data.strings[key] ?? (fallback ? options.data.strings[fallback] : undefined);
    if (!fn) throw new Error(`unknown string "${key}"`);
    const root = options.data.root as Record<string, unknown>;
    // The string template escapes its own values; its output is therefore safe to insert as is.
    return new hb.SafeString(fn({ ...root, ...options.hash }, { data: options.data }));
  });
  hb.registerHelper('money', (amount: number, currency: string, options: HelperOptions) =>
    formatOnce(options.data.formatted, `m|${currency}|${amount}`, () => moneyFormat(`${options.data.locale}|${currency}`).format(amount)),
  );
  hb.registerHelper('date', (iso: string, options: HelperOptions) =>
    formatOnce(options.data.formatted, `d|${iso}`, () => dateFormat(`${options.data.locale}|${options.data.timeZone}`).format(new Date(iso))),
  );
  hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hb.registerHelper('plural', (count: number, options: HelperOptions) => {
    const category = pluralRules(options.data.locale).select(count);
    const hash = options.hash as Record<string, string | undefined>;
    return hash[category] ?? hash['other'] ?? '';
  });
  // Only http(s) reaches an href; the campaign's tracking parameters are added to the shop's own links.
  hb.registerHelper('link', (url: unknown, options: HelperOptions) => (isHttpUrl(url) ? withTracking(url, options.data.tracking) : ''));
  // A missing or unsafe picture becomes its alt text in a neutral box, so the layout holds.
  hb.registerHelper('image', (url: unknown, options: HelperOptions) => {
    const { alt = '', width = 64, height = width } = options.hash as { alt?: string; width?: number; height?: number };
    const esc = hb.Utils.escapeExpression;
    const px = (v: unknown) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Math.round(Number(v)) : 64);
    const size = `width="${px(width)}" height="${px(height)}"`;
    if (isHttpUrl(url)) return new hb.SafeString(`<img src="${esc(url)}" alt="${esc(alt)}" ${size} style="display:block;border-radius:4px;object-fit:cover" />`);
    return new hb.SafeString(
      `<span style="display:block;width:${px(width)}px;height:${px(height)}px;background:#e4e7eb;border-radius:4px;font-size:11px;line-height:14px;color:#52606d;overflow:hidden;text-align:center">${esc(alt)}</span>`,
    );
  });
  // {{#requireLevel "full"}}personal block{{else}}its fallback{{/requireLevel}}: the customer's own choice decides.
  hb.registerHelper('requireLevel', function (this: unknown, level: PersonalizationLevel, options: HelperOptions) {
    // A misspelt level would rank -1 and show the block to everyone.
    if (levelRank(level) < 0) throw new Error(`requireLevel: unknown level "${String(level)}"`);
    return levelRank(options.data.level) >= levelRank(level) ? options.fn(this) : options.inverse(this);
  });
  return hb;
}

const engine = createEngine();

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

type Compiled = Record<string, HandlebarsTemplateDelegate>;

const STRING_CALL = /\{\{\s*t\s+"([\w.-]+)"\s*\}\}/g;

/**
 * Puts each locale's strings into the template source itself, so one email is three template calls
 * (subject, HTML, text) rather than one per string: Handlebars' per-call overhead dominated rendering.
 * Strings read the root context, as the `t` helper does. Where the call stands in the root context
 * already, the string goes in as it is; elsewhere (inside each or with, or anywhere not certain) it
 * is wrapped in {{#with @root}}, a block call per string that the common case need not pay.
 */
function inlineStrings(source: string, strings: Record<string, string>, template: string): string {
  const atRoot = stringCallsAtRoot(source);
  return source.replace(STRING_CALL, (_, key: string, offset: number) => {
    const value = strings[key];
    if (value === undefined) throw new TemplateRenderError(template, '-', new Error(`unknown string "${key}"`));
    return atRoot.has(positionOf(source, offset)) ? value : `{{#with @root}}${value}{{/with}}`;
  });
}

/** Blocks whose body runs in another context; if, unless and requireLevel keep the one they are in. */
const CONTEXT_BLOCKS = new Set(['each', 'with']);

/** Where (line:column, as Handlebars' parser counts) each {{t "key"}} call in the root context starts. */
function stringCallsAtRoot(source: string): Set<string> {
  const found = new Set<string>();
  const visit = (program: hbs.AST.Program | undefined, atRoot: boolean): void => {
    for (const node of program?.body ?? []) {
      if (node.type === 'MustacheStatement') {
        const call = node as hbs.AST.MustacheStatement;
        const single = call.params.length === 1 && call.params[0]!.type === 'StringLiteral' && !call.hash;
        if (atRoot && single && (call.path as hbs.AST.PathExpression).original === 't') found.add(`${call.loc.start.line}:${call.loc.start.column}`);
      } else if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        visit(block.program, atRoot && !CONTEXT_BLOCKS.has((block.path as hbs.AST.PathExpression).original));
        // An else runs in the block's own context (a chained {{else each}} is a block of its own in here).
        visit(block.inverse, atRoot);
      }
    }
  };
  visit(engine.parse(source), true);
  return found;
}

function positionOf(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return `${line}:${offset - lineStart}`;
}

export function compileTemplate(published: PublishedTemplate): CompiledTemplate {
  const escaped = { strict: false, preventIndent: true, knownHelpers: Object.fromEntries(TEMPLATE_HELPERS.map((h) => [h, true])), data: true } as const;
  // Subject and plain text are not HTML: escaping there would show "&amp;" to readers.
  const raw = { ...escaped, noEscape: true } as const;
  const perLocale = new Map<Locale, { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; strings: { html: Compiled; text: Compiled } }>();
  for (const [locale, strings] of Object.entries(published.locales) as [Locale, PublishedTemplate['locales'][Locale]][]) {
    if (!strings) continue;
    const all = { ...strings.strings, subject: strings.subject, preheader: strings.preheader };
    // Strings called with parameters ({{t "key" count=n}}) stay helper calls.
    const compileAll = (options: CompileOptions): Compiled =>
      Object.fromEntries(Object.entries(all).map(([key, value]) => [key, engine.compile(value, options)]));
    perLocale.set(locale, {
      subject: engine.compile(strings.subject, raw),
      html: engine.compile(inlineStrings(published.html, all, published.name), escaped),
      text: engine.compile(inlineStrings(published.text, all, published.name), raw),
      strings: { html: compileAll(escaped), text: compileAll(raw) },
    });
  }

  const overrides = new Map<string, HandlebarsTemplateDelegate>();
  const subjectOverride = (source: string): HandlebarsTemplateDelegate => {
    let compiled = overrides.get(source);
    if (!compiled) overrides.set(source, (compiled = engine.compile(source, raw)));
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
        const data = { locale, timeZone, level: options.level ?? DEFAULT_PERSONALIZATION, tracking: options.tracking, formatted: new Map<string, string>() };
        return {
          subject: (options.subject ? subjectOverride(options.subject) : chosen.subject)(context, { data }).replace(/\s+/g, ' ').trim(),
          html: chosen.html(context, { data: { ...data, strings: chosen.strings.html } }),
          text: chosen.text(context, { data: { ...data, strings: chosen.strings.text } }).replace(/\n{3,}/g, '\n\n').trim() + '\n',
        };
      } catch (error) {
        throw new TemplateRenderError(published.name, published.version, error);
      }
    },
  };
}
