import type { Locale } from '../events/events';

/**
 * A locale as the console names it to a marketer: "Polish", not `pl`. The code stays the value of
 * forms and the name of the template folder's file (locales/pl.json).
 */
const names = new Intl.DisplayNames(['en'], { type: 'language' });

export function languageName(locale: Locale | string): string {
  try {
    return names.of(locale) ?? locale;
  } catch {
    // Not a language tag at all: shown as it is rather than not at all.
    return locale;
  }
}
