import type { Locale } from '../events/events';

declare const madeByPrecompile: unique symbol;

/**
 * A Handlebars template spec: the JavaScript source `Handlebars.precompile` gives, which the send
 * path evaluates (renderer.ts). Only precompile.ts makes one, from a source it checked; the catalog
 * stores what publishing made and nothing else (docs/hardening.md).
 */
export type TemplateSpec = string & { readonly [madeByPrecompile]: true };

/** One string of a locale, precompiled for the HTML (escaped) and for the subject and text (plain). */
export interface StringSpecs {
  html: TemplateSpec;
  plain: TemplateSpec;
}

/**
 * A published version, precompiled: its HTML (escaped) and text (plain), and per locale every string,
 * its subject and preheader among them (`{{t "subject"}}`).
 */
export interface TemplateSpecs {
  name: string;
  version: string;
  html: TemplateSpec;
  text: TemplateSpec;
  locales: Partial<Record<Locale, Record<string, StringSpecs>>>;
  /**
   * The HTML and text of each locale with the locale's strings that have no mustache written in
   * (precompilePart); a locale without its own renders with `html` and `text`, as specs stored before
   * these existed do.
   */
  parts?: Partial<Record<Locale, { html: TemplateSpec; text: TemplateSpec }>>;
  /** The strings called as partials (`{{t "key"}}`, precompile.ts), so a locale without one can say which is missing. */
  partials: string[];
  /**
   * `{{> email}}`: the one template call of a render, whose partial renders the subject, HTML and text
   * as partials in turn, so Handlebars sets up its helpers once per email, not once per part (renderer.ts).
   */
  email: TemplateSpec;
}

/**
 * Whether a string key can name a Handlebars partial (strings are called as partials, precompile.ts):
 * any but `__proto__`, which Handlebars' merge of partials into a plain object would take for the
 * prototype. (Validation refuses such keys anyway.)
 */
export const isPartialName = (key: string): boolean => key !== '__proto__';

/** The helper a computed `{{t}}` key goes through to name its partial: a name no template can write, having a space. */
export const STRING_KEY_HELPER = 'string key';

/** A campaign's variant subjects, by their source, each precompiled as plain text. */
export type SubjectSpecs = Record<string, TemplateSpec>;
