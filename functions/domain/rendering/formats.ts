import { BoundedMap } from '../../lib/boundedMap';

/**
 * Amounts, dates and plural categories in a reader's locale. Intl formatters cost far more to build
 * than to use, and using one still costs more than the rest of a string: formatters are kept per
 * locale, and what they give is kept per value, since what they give never changes. Each store is
 * bounded; a full one starts again.
 */

/**
 * Values kept per formatter: some 4,000 amounts, or local days (eleven years of consent dates).
 * With the bound on kinds below, a container keeps at most a few tens of megabytes of them, and in
 * practice (a few zones per locale) far less.
 */
const KEPT_PER_FORMATTER = 4096;

/** Locales, zones and currencies seen: currencies come from data and zones in any letter case, so bounded too. */
const KEPT_PER_KIND = 64;

function memo<T>(build: (key: string) => T): (key: string) => T {
  const cache = new BoundedMap<string, T>(KEPT_PER_KIND);
  return (key) => cache.get(key) ?? cache.keep(key, build(key));
}

/** What one formatter gave, by the value it was given. */
const kept = <K, V>(bound = KEPT_PER_FORMATTER): BoundedMap<K, V> => new BoundedMap<K, V>(bound);

/** Per locale, then per currency: an amount's text, by amount. Prices repeat across carts. */
const moneyFormats = memo((locale) =>
  memo((currency) => {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    return { format, kept: kept<number, string>() };
  }),
);

const DAY = 86_400_000;
/** Where the zone offsets below are read with a four-digit Gregorian year; other instants go to Intl. */
const KEPT_FROM = Date.UTC(1900, 0, 1);
const KEPT_UNTIL = Date.UTC(2200, 0, 1);

/**
 * A zone's offset from UTC through each UTC day, where it is the same at both ends of the day
 * (NaN on a day the clocks change): then an instant's local date is its UTC date after the offset.
 */
const zoneDays = memo((timeZone) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (at: number): number => {
    const local: Record<string, number> = {};
    for (const { type, value } of parts.formatToParts(at)) local[type] = Number(value);
    const second = at - (((at % 1000) + 1000) % 1000);
    return Date.UTC(local['year']!, local['month']! - 1, local['day'], local['hour'], local['minute'], local['second']) - second;
  };
  const offsets = kept<number, number>();
  return (day: number): number => {
    let offset = offsets.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * DAY);
      offset = offsets.keep(day, start === offsetAt(day * DAY + DAY - 1) ? start : NaN);
    }
    return offset;
  };
});

/**
 * A reader's formatter of long dates, its text by local day, and by the date as given for the last few
 * (an email's text reuses what its HTML parsed).
 */
interface LongDates {
  format: Intl.DateTimeFormat;
  days: (day: number) => number;
  kept: BoundedMap<number, string>;
  byText: BoundedMap<string, string>;
}

/** A count's plural category never changes, and selecting one costs as much as the rest of a string. */
const pluralCategory = memo((locale) => {
  const rules = new Intl.PluralRules(locale);
  const categories = kept<number, string>();
  // Only numbers are kept: anything else a template passes is customer data, not to be held on to.
  return (count: number): string =>
    typeof count === 'number' ? (categories.get(count) ?? categories.keep(count, rules.select(count))) : rules.select(count);
});

/**
 * What one reader's locale and zone format with: found once per email, then each value costs one
 * lookup of what was kept for it.
 */
export class ReaderFormats {
  private readonly money: (currency: string) => { format: Intl.NumberFormat; kept: BoundedMap<number, string> };
  /** Found on the first date: an unknown zone then fails the {{date}}, not every render. */
  private dates?: LongDates;
  readonly plural: (count: number) => string;

  constructor(
    private readonly locale: string,
    private readonly timeZone: string,
  ) {
    this.money = moneyFormats(locale);
    this.plural = pluralCategory(locale);
  }

  /** `{{money amount currency}}`. -0 is not kept: a Map takes it for 0, Intl writes it with a minus sign. */
  formatMoney(amount: number, currency: string): string {
    const { format, kept } = this.money(currency);
    if (typeof amount !== 'number' || Object.is(amount, -0)) return format.format(amount);
    return kept.get(amount) ?? kept.keep(amount, format.format(amount));
  }

  /**
   * `{{date iso}}`: the long date. A long date names a day and nothing finer, so every instant of one
   * local day reads the same: what Intl gave for the first one is kept.
   */
  longDate(iso: string): string {
    const {
      format,
      days,
      kept: byDay,
      byText,
    } = (this.dates ??= {
      format: new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: this.timeZone }),
      days: zoneDays(this.timeZone),
      kept: kept<number, string>(),
      byText: kept<string, string>(64),
    });
    // An email shows a date in its HTML and its text, and parsing one costs more than the rest.
    const known = typeof iso === 'string' ? byText.get(iso) : undefined;
    if (known !== undefined) return known;
    const at = Date.parse(iso);
    if (!(at >= KEPT_FROM && at < KEPT_UNTIL)) return format.format(new Date(iso)); // an invalid date throws, as Intl does
    const offset = days(Math.floor(at / DAY));
    if (Number.isNaN(offset)) return format.format(at);
    const localDay = Math.floor((at + offset) / DAY);
    return byText.keep(iso, byDay.get(localDay) ?? byDay.keep(localDay, format.format(at)));
  }
}

/** By locale, then by zone. */
export const readerFormats = memo((locale) => memo((timeZone) => new ReaderFormats(locale, timeZone)));
