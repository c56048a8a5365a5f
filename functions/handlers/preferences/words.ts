import type { Locale } from '../../domain/events/events';
import { isValidTimeZone } from '../../domain/time/timeZone';
import { BoundedMap } from '../../lib/boundedMap';
import { PAGE_STRINGS } from './strings';

/** Values as words in the reader's language: names of languages, countries and zones, dates in their zone. */

const capitalize = (text: string): string => text.charAt(0).toLocaleUpperCase() + text.slice(1);

export function languageName(code: string, locale: Locale): string {
  try {
    return capitalize(new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' }).of(code) ?? code);
  } catch {
    return code;
  }
}

export function countryName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * "Central European Time (Warsaw)": the zone's long name in the reader's language. The city, which only
 * the zone's English id names, is added for English readers only.
 */
export function timeZoneName(zone: string, locale: Locale): string {
  if (!isValidTimeZone(zone)) return zone;
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date(0))
    .find((p) => p.type === 'timeZoneName');
  const city = zone.split('/').pop()!.replace(/_/g, ' ');
  if (!part || /^GMT|^UTC/.test(part.value)) return locale === 'en' ? city : (part?.value ?? zone);
  return locale === 'en' ? `${capitalize(part.value)} (${city})` : capitalize(part.value);
}

const formatters = new BoundedMap<string, Intl.DateTimeFormat>(256);
function formatter(locale: Locale, zone: string, kind: 'day' | 'moment'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${kind}`;
  const options: Intl.DateTimeFormatOptions =
    kind === 'day'
      ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }
      : { dateStyle: 'long', timeStyle: 'short', timeZone: zone };
  return formatters.get(key) ?? formatters.keep(key, new Intl.DateTimeFormat(locale, options));
}

/** A day ("3 December 2026", "3 grudnia 2026", "3 декабря 2026 г.") in the reader's zone. */
export const dayIn = (iso: string, locale: Locale, zone: string): string => formatter(locale, zone, 'day').format(new Date(iso));

/** A moment with its time, in the reader's zone. */
export const momentIn = (iso: string, locale: Locale, zone: string): string => formatter(locale, zone, 'moment').format(new Date(iso));

/** How a change was made (its ledger source) in words, with the policy version it was made under. */
export function howText(source: string, policyVersion: string | undefined, locale: Locale): string {
  const s = PAGE_STRINGS[locale];
  const how = Object.hasOwn(s.sources, source) ? s.sources[source]! : s.sourceOther;
  return policyVersion && policyVersion !== '-' ? `${how} (${s.policy(policyVersion)})` : how;
}
