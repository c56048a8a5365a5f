import type { TemplateDelegate } from 'handlebars';
import Runtime from 'handlebars/runtime';
import type { Locale } from '../events/events';
import { DEFAULT_PERSONALIZATION, type PersonalizationLevel } from '../customers/profile';
import { readerFormats } from './formats';
import { registerHelpers, type RenderData, type StringLookup, type StringPartials } from './helpers';
import type { Tracking } from './links';
import type { PublishedTemplate } from './publishedTemplate';
import { RENDER_BUDGET, RenderBudget, RenderBudgetError, spend } from './renderBudget';
import { TemplateLimitError, templateLimitProblems } from './templateLimits';
import { isPartialName, type StringSpecs, type TemplateSpec, type TemplateSpecs } from './templateSpecs';

export { RenderBudgetError } from './renderBudget';

/**
 * Renders a published template with Handlebars' runtime-only build: the specs Handlebars.precompile
 * made at publish (precompile.ts), loaded once per template version and kept for the container's
 * life, so a send neither parses nor compiles anything (MJML ran at publish too). Prototype access is
 * Handlebars' default: a template sees a value's own properties only.
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

/** A render that went over its budget (RenderBudgetError): sends skip it with reason `render-budget`, and it does not publish. */
export class TemplateBudgetError extends TemplateRenderError {
  override name = 'TemplateBudgetError';
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A variant's subject, loaded from its spec (loadSpec): it replaces the locale's. */
export type SubjectTemplate = TemplateDelegate;

export interface RenderOptions {
  subject?: SubjectTemplate;
  level?: PersonalizationLevel;
  tracking?: Tracking;
}

export interface CompiledTemplate {
  name: string;
  version: string;
  fields: PublishedTemplate['fields'];
  /**
   * `subject` overrides the locale's subject (an experiment variant's); `level` is the customer's
   * personalization level for requireLevel blocks; `tracking` goes on every {{link}}.
   */
  render(locale: Locale, timeZone: string, context: Record<string, unknown>, options?: RenderOptions): RenderedEmail;
}

/** The runtime every template runs on: Handlebars' built-in helpers, ours, and no {{log}}. */
const runtime = Runtime.create();
registerHelpers(runtime);

/**
 * Evaluates a spec: a version's parts and strings, or a variant's subject. Specs are JavaScript that
 * Handlebars.precompile wrote at publish from a source we checked, read back from our own catalog,
 * which only publishing writes (docs/hardening.md).
 */
export function loadSpec(spec: TemplateSpec): TemplateDelegate {
  return runtime.template(new Function(`return ${spec}`)() as Parameters<typeof runtime.template>[0]);
}

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

/** A locale's strings in one form (HTML or plain), each loaded on first use. Own keys only: `{{t "toString"}}` names no string. */
function stringLookup(
  specs: Readonly<Record<string, StringSpecs>>,
  form: keyof StringSpecs,
  sources: Readonly<Record<string, string>>,
): StringLookup {
  const loaded = new Map<string, TemplateDelegate>();
  return (key) => {
    if (typeof key !== 'string') return undefined;
    let string = loaded.get(key);
    if (!string && Object.hasOwn(specs, key)) {
      // A string with no mustache renders as its source, in HTML and plain text alike: nothing to run.
      const source = Object.hasOwn(sources, key) ? sources[key] : undefined;
      string = source !== undefined && !source.includes('{{') ? () => source : loadSpec(specs[key]![form]);
      loaded.set(key, string);
    }
    return string;
  };
}

/**
 * The strings as partials, for `{{t …}}` (precompile.ts): each call counts against the render's
 * budget, as the helper's does. `names` are those the version calls so; one this locale lacks fails
 * as the helper would.
 */
export function partialsOf(lookup: StringLookup, names: Iterable<string>): StringPartials {
  const partials = Object.create(null) as StringPartials;
  for (const name of names) {
    if (!isPartialName(name)) continue;
    partials[name] = (context, options) => {
      const string = lookup(name);
      if (!string) throw new Error(`unknown string "${name}"`);
      const output = string(context, options);
      spend((options!.data as RenderData).budget, output.length);
      return output;
    };
  }
  return partials;
}

/** One form of a locale: its strings, and the same as partials. */
interface LocaleForm {
  strings: StringLookup;
  partials: StringPartials;
}

interface LocaleStrings {
  html: LocaleForm;
  plain: LocaleForm;
  /** The locale's own HTML and text (its strings without a mustache written in), or the generic ones. */
  parts: { html: TemplateDelegate; text: TemplateDelegate };
}

/**
 * A version that cannot be loaded, remembered as such: every render throws the error it failed with,
 * so a send path that keeps it never tries again (one failure per version and container, not per send).
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

/**
 * A published version and its specs as a template to render. Its size and nesting are checked first,
 * as at publish, so a stored version from before the limits is refused too; then the HTML and text
 * are loaded, so a spec the runtime cannot run fails here, as a render error.
 */
export function loadTemplate(published: PublishedTemplate, specs: TemplateSpecs | undefined): CompiledTemplate {
  const failed = (cause: unknown) => new TemplateRenderError(published.name, published.version, cause);
  let html: TemplateDelegate, text: TemplateDelegate, email: TemplateDelegate;
  const perLocale = new Map<Locale, LocaleStrings>();
  try {
    const over = templateLimitProblems(published);
    if (over.length) throw new TemplateLimitError(over);
    if (!specs) throw new Error('it was stored without its precompiled form: publish it again');
    if (specs.name !== published.name || specs.version !== published.version)
      throw new Error(`its precompiled form is that of ${specs.name}@${specs.version}`);
    if (!specs.email) throw new Error('its precompiled form is an earlier one: publish it again');
    html = loadSpec(specs.html);
    text = loadSpec(specs.text);
    email = loadSpec(specs.email);
    for (const [locale, strings] of Object.entries(specs.locales) as [Locale, Record<string, StringSpecs>][]) {
      // A variant's subject, precompiled apart, may call any of the locale's strings.
      const names = new Set([...specs.partials, ...Object.keys(strings)]);
      const given = published.locales[locale];
      const sources = { ...given?.strings, subject: given?.subject ?? '{{', preheader: given?.preheader ?? '{{' };
      const form = (name: keyof StringSpecs): LocaleForm => {
        const lookup = stringLookup(strings, name, sources);
        return { strings: lookup, partials: partialsOf(lookup, names) };
      };
      const own = specs.parts?.[locale];
      const parts = own ? { html: loadSpec(own.html), text: loadSpec(own.text) } : { html, text };
      perLocale.set(locale, { html: form('html'), plain: form('plain'), parts });
    }
  } catch (error) {
    throw error instanceof TemplateRenderError ? error : failed(error);
  }

  return {
    name: published.name,
    version: published.version,
    fields: published.fields,
    render(requested, timeZone, context, options = {}) {
      const locale: Locale = perLocale.has(requested) ? requested : 'en';
      const strings = perLocale.get(locale);
      if (!strings) throw failed(new Error(`no strings for ${requested} or en`));
      try {
        const level = options.level ?? DEFAULT_PERSONALIZATION;
        const formats = readerFormats(locale)(timeZone);
        // One budget for the whole email: subject, HTML, text and every string they call.
        const budget = new RenderBudget();
        const common = { root: context, locale, timeZone, level, tracking: options.tracking, formats, budget };
        const htmlData: RenderData = { ...common, strings: strings.html.strings, partials: strings.html.partials };
        const plainData: RenderData = { ...common, strings: strings.plain.strings, partials: strings.plain.partials };
        const subject = options.subject ?? strings.plain.strings('subject');
        if (!subject) throw new Error(`no subject for ${locale}`);
        let rendered: RenderedEmail | undefined;
        // The parts as partials of one call (TemplateSpecs.email), each with its own data and strings.
        const parts: TemplateDelegate = (_context, call) => {
          const as = (data: RenderData) => ({ ...call, data, partials: data.partials });
          rendered = {
            subject: tidySubject(subject(context, as(plainData))),
            html: strings.parts.html(context, as(htmlData)),
            text: tidyText(strings.parts.text(context, as(plainData))),
          };
          return '';
        };
        email(context, { data: plainData, partials: { email: parts } });
        if (!rendered) throw new Error('the email rendered no parts');
        if (rendered.html.length + rendered.text.length > RENDER_BUDGET.outputChars) throw new RenderBudgetError('output');
        return rendered;
      } catch (error) {
        if (error instanceof RenderBudgetError) throw new TemplateBudgetError(published.name, published.version, error);
        throw failed(error);
      }
    },
  };
}
