import { readerFormats } from '../../functions/domain/rendering/formats';

const formatLongDate = (iso: string, locale: string, timeZone: string) => readerFormats(locale)(timeZone).longDate(iso);
const formatMoney = (amount: number, currency: string, locale: string) => readerFormats(locale)('UTC').formatMoney(amount, currency);
const pluralCategory = (locale: string) => readerFormats(locale)('UTC').plural;

/** Every formatted value is kept: each check reads twice, so the second read comes from the store. */
const twice = <T>(read: () => T): [T, T] => [read(), read()];

describe('long dates', () => {
  // Zones whose offsets are not whole hours, or that moved clocks around midnight.
  const zones = [
    'Europe/Warsaw',
    'America/Sao_Paulo',
    'America/Havana',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/St_Johns',
    'Asia/Beirut',
  ];
  it.each(zones)('%s: every instant shows the day Intl gives, read twice', (timeZone) => {
    const direct = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone });
    const mismatches: string[] = [];
    // Every 13 minutes for two years around DST changes.
    for (let at = Date.UTC(2017, 0, 1); at < Date.UTC(2019, 0, 1); at += 13 * 60_000) {
      const iso = new Date(at).toISOString();
      for (const shown of twice(() => formatLongDate(iso, 'en', timeZone))) if (shown !== direct.format(at)) mismatches.push(iso);
    }
    expect(mismatches).toEqual([]);
  });

  it('every zone Intl knows, at instants from 1890 to 2210, in locales with other digits and calendars, shows the day Intl gives', () => {
    const locales = ['pl', 'ru', 'ar-EG', 'th', 'ja-JP-u-ca-japanese', 'fa'];
    const from = Date.UTC(1890, 0, 1);
    const span = Date.UTC(2210, 0, 1) - from;
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const mismatches: string[] = [];
    for (const timeZone of Intl.supportedValuesOf('timeZone')) {
      for (let n = 0; n < 60; n++) {
        // Half at random, half a millisecond either side of a UTC midnight, where a day's offset is read.
        const midnight = Math.floor((from + random() * span) / 86_400_000) * 86_400_000;
        const at = n % 2 ? Math.floor(from + random() * span) : midnight + (n % 4 === 0 ? -1 : 0);
        const locale = locales[n % locales.length]!;
        const direct = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(at);
        const iso = new Date(at).toISOString();
        for (const shown of twice(() => formatLongDate(iso, locale, timeZone)))
          if (shown !== direct) mismatches.push(`${timeZone} ${locale} ${iso}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a day learnt at one instant is not shown for an instant of the next local day', () => {
    // 23:30 and 00:30 in Warsaw (UTC+1): the same UTC day, two local days.
    expect(formatLongDate('2026-01-14T22:30:00Z', 'en', 'Europe/Warsaw')).toBe('January 14, 2026');
    expect(formatLongDate('2026-01-14T23:30:00Z', 'en', 'Europe/Warsaw')).toBe('January 15, 2026');
    expect(formatLongDate('2026-01-14T22:59:59.999Z', 'en', 'Europe/Warsaw')).toBe('January 14, 2026');
  });

  it('the last instant a Date can hold is formatted, twice alike', () => {
    const last = new Date(8.64e15).toISOString();
    expect(formatLongDate(last, 'en', 'UTC')).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(8.64e15));
    expect(formatLongDate(last, 'en', 'UTC')).toBe(formatLongDate(last, 'en', 'UTC'));
  });

  it('an invalid date fails as Intl does', () => {
    expect(() => formatLongDate('not a date', 'en', 'UTC')).toThrow(RangeError);
  });
});

describe('money', () => {
  it('shows each amount as Intl does, read twice, across locales and currencies', () => {
    const mismatches: string[] = [];
    for (const [locale, currency] of [
      ['en', 'EUR'],
      ['pl', 'PLN'],
      ['ru', 'RUB'],
      ['ja', 'JPY'],
      ['ar-EG', 'EGP'],
      ['de-CH', 'CHF'],
    ] as const) {
      const direct = new Intl.NumberFormat(locale, { style: 'currency', currency });
      for (const amount of [0, 0.005, 1, 9.99, 19.999, 1234.5, 1e9, -5.5, NaN, Infinity]) {
        for (const shown of twice(() => formatMoney(amount, currency, locale)))
          if (shown !== direct.format(amount)) mismatches.push(`${locale} ${currency} ${amount}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps 0 and -0 apart, in either order (a Map takes them for one key)', () => {
    expect([formatMoney(0, 'EUR', 'en'), formatMoney(-0, 'EUR', 'en')]).toEqual(['€0.00', '-€0.00']);
    expect([formatMoney(-0, 'USD', 'en'), formatMoney(0, 'USD', 'en')]).toEqual(['-$0.00', '$0.00']);
  });

  it('an amount given as text is formatted, not kept under a number', () => {
    expect(formatMoney('12.5' as unknown as number, 'EUR', 'en')).toBe('€12.50');
    expect(formatMoney(12.5, 'EUR', 'en')).toBe('€12.50');
  });

  it('an unknown currency fails as Intl does, every time', () => {
    expect(() => formatMoney(1, 'EURO', 'en')).toThrow(RangeError);
    expect(() => formatMoney(1, 'EURO', 'en')).toThrow(RangeError);
  });

  it('stays right once its store is full and starts again', () => {
    const direct = new Intl.NumberFormat('en', { style: 'currency', currency: 'GBP' });
    const mismatches: number[] = [];
    for (let cents = 0; cents < 25_000; cents++)
      if (formatMoney(cents / 100, 'GBP', 'en') !== direct.format(cents / 100)) mismatches.push(cents);
    for (let cents = 0; cents < 25_000; cents += 7)
      if (formatMoney(cents / 100, 'GBP', 'en') !== direct.format(cents / 100)) mismatches.push(cents);
    expect(mismatches).toEqual([]);
  });
});

describe('plural categories', () => {
  it.each([
    ['pl', [1, 2, 5, 22, 25, 1.5]],
    ['ru', [1, 2, 5, 21, 11, 0]],
    ['en', [1, 0, 2, 1.0]],
  ] as const)('%s: the category Intl selects, read twice', (locale, counts) => {
    const rules = new Intl.PluralRules(locale);
    for (const count of counts) expect(twice(() => pluralCategory(locale)(count))).toEqual([rules.select(count), rules.select(count)]);
  });
  it('a count given as text is selected as Intl selects it, and not kept', () => {
    const select = jest.spyOn(Intl.PluralRules.prototype, 'select');
    try {
      expect([pluralCategory('pl')('5' as unknown as number), pluralCategory('pl')('5' as unknown as number)]).toEqual(['many', 'many']);
      expect(select).toHaveBeenCalledTimes(2);
    } finally {
      select.mockRestore();
    }
  });
});
