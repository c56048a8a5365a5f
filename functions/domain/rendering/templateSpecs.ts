import type { Locale } from '../events';

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
}

/** A campaign's variant subjects, by their source, each precompiled as plain text. */
export type SubjectSpecs = Record<string, TemplateSpec>;
