import type { Locale } from '../../../domain/events/events';

/** What every locale's words are built with: plural categories, months, a capital first letter. */

export const plural = (locale: Locale, count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string =>
  forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;

/** "January 2026" for a YYYY-MM(-DD) version, in the locale's standalone month (no case to agree with). */
export function monthOf(version: string, locale: Locale): string | undefined {
  const m = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(version);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)),
  );
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
