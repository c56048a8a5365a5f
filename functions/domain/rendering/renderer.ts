import type { TemplateDelegate } from 'handlebars';
import Runtime from 'handlebars/runtime';
import type { Locale } from '../events';
import { DEFAULT_PERSONALIZATION, type PersonalizationLevel } from '../profile';
import { readerFormats } from './formats';
import { registerHelpers, type RenderData, type StringLookup } from './helpers';
import type { Tracking } from './links';
import type { PublishedTemplate } from './publishedTemplate';
import { RENDER_BUDGET, RenderBudget, RenderBudgetError } from './renderBudget';
import { TemplateLimitError, templateLimitProblems } from './templateLimits';
import type { StringSpecs, TemplateSpec, TemplateSpecs } from './templateSpecs';

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
function stringLookup(specs: Readonly<Record<string, StringSpecs>>, form: keyof StringSpecs): StringLookup {
  const loaded = new Map<string, TemplateDelegate>();
  return (key) => {
    if (typeof key !== 'string') return undefined;
    let string = loaded.get(key);
    if (!string && Object.hasOwn(specs, key)) loaded.set(key, (string = loadSpec(specs[key]![form])));
    return string;
  };
}

interface LocaleStrings {
  html: StringLookup;
  plain: StringLookup;
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
  let html: TemplateDelegate, text: TemplateDelegate;
  const perLocale = new Map<Locale, LocaleStrings>();
  try {
    const over = templateLimitProblems(published);
    if (over.length) throw new TemplateLimitError(over);
    if (!specs) throw new Error('it was stored without its precompiled form: publish it again');
    if (specs.name !== published.name || specs.version !== published.version)
      throw new Error(`its precompiled form is that of ${specs.name}@${specs.version}`);
    html = loadSpec(specs.html);
    text = loadSpec(specs.text);
    for (const [locale, strings] of Object.entries(specs.locales) as [Locale, Record<string, StringSpecs>][])
      perLocale.set(locale, { html: stringLookup(strings, 'html'), plain: stringLookup(strings, 'plain') });
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
        const shared = { root: context, locale, timeZone, level, tracking: options.tracking, formats, budget };
        const htmlData: RenderData = { ...shared, strings: strings.html };
        const plainData: RenderData = { ...shared, strings: strings.plain };
        const subject = options.subject ?? strings.plain('subject');
        if (!subject) throw new Error(`no subject for ${locale}`);
        const email = {
          subject: tidySubject(subject(context, { data: plainData })),
          html: html(context, { data: htmlData }),
          text: tidyText(text(context, { data: plainData })),
        };
        if (email.html.length + email.text.length > RENDER_BUDGET.outputChars) throw new RenderBudgetError('output');
        return email;
      } catch (error) {
        if (error instanceof RenderBudgetError) throw new TemplateBudgetError(published.name, published.version, error);
        throw failed(error);
      }
    },
  };
}
