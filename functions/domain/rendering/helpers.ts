import type { HelperOptions, TemplateDelegate } from 'handlebars';
import Runtime from 'handlebars/runtime';
import type { Locale } from '../events/events';
import { levelRank, type PersonalizationLevel } from '../customers/profile';
import type { ReaderFormats } from './formats';
import { followsPlainly, isHttpUrl, queryOf, withTracking, type Tracking } from './links';
import { RenderBudget, spend } from './renderBudget';
import { STRING_KEY_HELPER } from './templateSpecs';

/**
 * The helpers templates call, as Handlebars helpers, and the data every render carries for them.
 * Registered on the send path's runtime (renderer.ts); the publish side knows them by name
 * (templateSubset.ts), so nothing else can be called.
 */

/** Handlebars' SafeString: a helper's HTML that the template inserts as it is. */
export const SafeHtml = Runtime.SafeString;
/** Handlebars' own escaping: `&<>"'\`=` as entities, SafeHtml as it is, null and undefined as nothing. */
export const escapeHtml = (value: unknown): string => Runtime.Utils.escapeExpression(value as string);

/** A string of a locale by key, loaded from its precompiled spec on first use. */
export type StringLookup = (key: unknown) => TemplateDelegate | undefined;

/** The same strings as Handlebars partials (`{{t "key"}}` compiles to a partial call), by key. */
export type StringPartials = Record<string, TemplateDelegate>;

/** Handlebars' `@data` of one render: `@locale` and friends, and what helpers need. */
export interface RenderData {
  root: unknown;
  locale: Locale;
  timeZone: string;
  level: PersonalizationLevel;
  tracking?: Tracking;
  /** The locale's strings, for `{{t}}`: escaped in the HTML, plain in the subject and text. */
  strings: StringLookup;
  partials: StringPartials;
  /** Amounts, dates and plurals in the reader's locale and zone. */
  formats: ReaderFormats;
  /** Shared by everything one email renders. */
  budget: RenderBudget;
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

/** Whether a `{{t}}` call passes the string anything beside `fallback=`. */
function hasParameters(hash: Record<string, unknown>): boolean {
  for (const name in hash) if (name !== 'fallback') return true;
  return false;
}

/** The root with a call's parameters over it. Object.assign, not spread: V8 spreads a second object slowly (~1.6 µs here against ~0.1). */
function withParameters(root: unknown, hash: Record<string, unknown>): Record<string, unknown> {
  const context: Record<string, unknown> = Object.assign({}, root);
  for (const name in hash) if (name !== 'fallback') context[name] = hash[name];
  return context;
}

/** A helper's arguments without Handlebars' options, which come last. */
type Inline = (args: unknown[], hash: Record<string, unknown>, data: RenderData) => unknown;

const INLINE: Record<string, Inline> = {
  t: ([key], hash, data) => {
    const { strings, partials, root } = data;
    // A computed key ({{t (concat "offer_" loyalty.tier) fallback="offer_default"}}) may name no string.
    const fallback = hash['fallback'] as string | undefined;
    const string = strings(key) ?? (fallback ? strings(fallback) : undefined);
    if (!string) throw new Error(`unknown string "${String(key)}"`);
    // Strings read the root context and the call's own parameters (fallback= is the helper's, not the
    // string's), with the caller's @data (a loop's @index too); their output escapes its own values.
    // Without parameters, nothing is copied.
    const output = string(hasParameters(hash) ? withParameters(root, hash) : root, { data, partials });
    spend(data.budget, output.length);
    return new SafeHtml(output);
  },
  money: ([amount, currency], _hash, data) => data.formats.formatMoney(amount as number, currency as string),
  date: ([iso], _hash, data) => data.formats.longDate(iso as string),
  concat: (args) => {
    // As join(''): null and undefined add nothing.
    let joined = '';
    for (const arg of args) if (arg != null) joined += String(arg);
    return joined;
  },
  plural: ([count], hash, data) => hash[data.formats.plural(count as number)] ?? hash['other'] ?? '',
  // Only http(s) reaches an href; the campaign's tracking parameters are added to the shop's own links.
  link: ([given], _hash, data) => {
    const url = asText(given);
    if (!isHttpUrl(url)) return '';
    const { tracking } = data;
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
      `<span style="display:block;width:${px(width)}px;height:${px(height)}px;background:#e4e7eb;border-radius:4px;font-size:11px;` +
        `line-height:14px;color:#52606d;overflow:hidden;text-align:center">${escapeHtml(alt)}</span>`,
    );
  },
};

/**
 * The partial a `{{t}}` statement with a computed key or a fallback= calls (precompile.ts): the key's,
 * or the fallback's, or none, as the helper chooses.
 */
const stringKey: Inline = ([key], hash, data) => {
  const fallback = hash['fallback'];
  if (typeof key === 'string' && Object.hasOwn(data.partials, key)) return key;
  if (typeof fallback === 'string' && fallback && Object.hasOwn(data.partials, fallback)) return fallback;
  throw new Error(`unknown string "${String(key)}"`);
};

/** A block helper beside if/unless/each/with: chooses its body (true) or its else (false), same context. */
type Conditional = (args: unknown[], data: RenderData) => boolean;

const CONDITIONAL: Record<string, Conditional> = {
  // {{#requireLevel "full"}}personal block{{else}}its fallback{{/requireLevel}}: the customer's own choice decides.
  requireLevel: ([level], data) => {
    // A misspelt level would rank -1 and show the block to everyone.
    if (levelRank(level as PersonalizationLevel) < 0) throw new Error(`requireLevel: unknown level "${String(level)}"`);
    return levelRank(data.level) >= levelRank(level as PersonalizationLevel);
  },
};

/** The helpers a template may call inline, and as blocks, beside Handlebars' own: publishing refuses any other. */
export const INLINE_HELPERS: readonly string[] = Object.keys(INLINE);
export const CONDITIONAL_HELPERS: readonly string[] = Object.keys(CONDITIONAL);
export const BUILT_IN_BLOCKS = ['if', 'unless', 'each', 'with'] as const;
export const BUILT_IN_INLINE = ['lookup'] as const;
/** Every helper a template may call beside the built-in ones (validation names them), and the built-in ones. */
export const TEMPLATE_HELPERS: readonly string[] = [...INLINE_HELPERS, ...CONDITIONAL_HELPERS];
export const BUILT_IN_HELPERS: readonly string[] = [...BUILT_IN_BLOCKS, ...BUILT_IN_INLINE];

/**
 * Our helpers on a Handlebars runtime, in Handlebars' calling convention (arguments, then options),
 * and `#each` counting its iterations and output against the render's budget.
 */
export function registerHelpers(env: typeof Runtime): void {
  for (const [name, helper] of [...Object.entries(INLINE), [STRING_KEY_HELPER, stringKey] as const]) {
    env.registerHelper(name, (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      return helper(args, options.hash as Record<string, unknown>, options.data as RenderData);
    });
  }
  for (const [name, helper] of Object.entries(CONDITIONAL)) {
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as HelperOptions;
      return helper(args, options.data as RenderData) ? options.fn(this) : options.inverse(this);
    });
  }
  const each = env.helpers['each']!;
  env.registerHelper('each', function (this: unknown, items: unknown, options: HelperOptions) {
    const { budget } = options.data as RenderData;
    const body = options.fn;
    const counted: TemplateDelegate = (context, runtimeOptions) => {
      const output = body(context, runtimeOptions);
      spend(budget, output.length);
      return output;
    };
    return each.call(this, items, { ...options, fn: counted });
  });
  // {{log}} would write template data (customers' among it) to the function's log.
  env.unregisterHelper('log');
}
