import Handlebars from 'handlebars';

type CompileOptions = Parameters<typeof Handlebars.compile>[1];
import type { Locale } from '../events';
import type { PublishedTemplate } from './publishedTemplate';

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
  strings: Record<string, HandlebarsTemplateDelegate>;
}

type HelperOptions = Handlebars.HelperOptions & { data: { root: unknown } & RenderData };

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('t', function (this: unknown, key: string, options: HelperOptions) {
    const fn = options.data.strings[key];
    if (!fn) throw new Error(`unknown string "${key}"`);
    const root = options.data.root as Record<string, unknown>;
    // The string template escapes its own values; its output is therefore safe to insert as is.
    return new hb.SafeString(fn({ ...root, ...options.hash }, { data: options.data }));
  });
  hb.registerHelper('money', (amount: number, currency: string, options: HelperOptions) =>
    new Intl.NumberFormat(options.data.locale, { style: 'currency', currency }).format(amount),
  );
  hb.registerHelper('date', (iso: string, options: HelperOptions) =>
    new Intl.DateTimeFormat(options.data.locale, { dateStyle: 'long', timeZone: options.data.timeZone }).format(new Date(iso)),
  );
  hb.registerHelper('plural', (count: number, options: HelperOptions) => {
    const category = new Intl.PluralRules(options.data.locale).select(count);
    const hash = options.hash as Record<string, string | undefined>;
    return hash[category] ?? hash['other'] ?? '';
  });
  return hb;
}

const engine = createEngine();

export interface CompiledTemplate {
  name: string;
  version: string;
  fields: PublishedTemplate['fields'];
  render(locale: Locale, timeZone: string, context: Record<string, unknown>): RenderedEmail;
}

type Compiled = Record<string, HandlebarsTemplateDelegate>;

export function compileTemplate(published: PublishedTemplate): CompiledTemplate {
  const escaped = { strict: false, preventIndent: true } as const;
  // Subject and plain text are not HTML: escaping there would show "&amp;" to readers.
  const raw = { ...escaped, noEscape: true } as const;
  const html = engine.compile(published.html, escaped);
  const text = engine.compile(published.text, raw);
  const perLocale = new Map<Locale, { subject: HandlebarsTemplateDelegate; html: Compiled; text: Compiled }>();
  for (const [locale, strings] of Object.entries(published.locales) as [Locale, PublishedTemplate['locales'][Locale]][]) {
    if (!strings) continue;
    const all = { ...strings.strings, subject: strings.subject, preheader: strings.preheader };
    const compileAll = (options: CompileOptions): Compiled =>
      Object.fromEntries(Object.entries(all).map(([key, value]) => [key, engine.compile(value, options)]));
    perLocale.set(locale, { subject: engine.compile(strings.subject, raw), html: compileAll(escaped), text: compileAll(raw) });
  }

  return {
    name: published.name,
    version: published.version,
    fields: published.fields,
    render(requested, timeZone, context) {
      const locale: Locale = perLocale.has(requested) ? requested : 'en';
      const chosen = perLocale.get(locale);
      if (!chosen) throw new TemplateRenderError(published.name, published.version, new Error(`no strings for ${requested} or en`));
      try {
        const data = { locale, timeZone };
        return {
          subject: chosen.subject(context, { data }).replace(/\s+/g, ' ').trim(),
          html: html(context, { data: { ...data, strings: chosen.html } }),
          text: text(context, { data: { ...data, strings: chosen.text } }).replace(/\n{3,}/g, '\n\n').trim() + '\n',
        };
      } catch (error) {
        throw new TemplateRenderError(published.name, published.version, error);
      }
    },
  };
}
