import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCondition, describeSegment } from '../../functions/domain/segments/describe';
import { evaluateSegment, lookbackStart, type SegmentSubject } from '../../functions/domain/segments/evaluate';
import { OPERATORS_BY_KIND, SEGMENT_FACTS, segmentSchema, type SegmentCondition } from '../../functions/domain/segments/segment';
import { MARKETING_TOPICS, type Locale } from '../../functions/domain/events/events';
import { segmentInWords } from '../../functions/handlers/preferences/segmentWords';

const NOW = '2026-11-02T12:00:00.000Z';
const ZONE = 'Europe/Warsaw';

const anna: SegmentSubject = {
  profile: {
    customerId: 'anna',
    locale: 'pl',
    country: 'PL',
    personalization: 'full',
    createdAt: '2026-01-15T10:00:00.000Z',
    loyalty: { points: 1200, tier: 'gold', at: '2026-10-01T00:00:00.000Z' },
    consent: {
      loyalty: { status: 'granted', at: '2026-01-15T10:00:00.000Z', source: 'checkout', policyVersion: '1' },
      newsletter: { status: 'withdrawn', at: '2026-02-01T10:00:00.000Z', source: 'one_click', policyVersion: '1' },
    },
    updatedAt: NOW,
  },
  orders: [
    { total: 100, currency: 'PLN', placedAt: '2026-10-20T10:00:00.000Z' },
    { total: 50.5, currency: 'PLN', placedAt: '2026-06-01T10:00:00.000Z' },
    { total: 20, currency: 'EUR', placedAt: '2026-05-01T10:00:00.000Z' },
  ],
  carts: [{ items: [{ sku: 'A' }], updatedAt: '2026-11-01T08:00:00.000Z' }],
  viewedCategories: ['mugs', 'tea'],
};

/** A customer of whom nothing is known but the id and the language. */
const bare: SegmentSubject = {
  profile: { customerId: 'bare', locale: 'en', consent: {}, updatedAt: NOW },
  orders: [],
  carts: [],
  viewedCategories: [],
};

const holds = (c: SegmentCondition, subject: SegmentSubject = anna, now = NOW) =>
  evaluateSegment({ match: 'all', conditions: [c] }, subject, now, ZONE).matches;

/** Every fact with every operator its kind allows: what Anna (who has each fact) and the bare customer make of it. */
const CASES: [SegmentCondition, boolean, boolean][] = [
  // condition, Anna, the bare customer
  [{ fact: 'profile.country', op: 'eq', value: 'PL' }, true, false],
  [{ fact: 'profile.country', op: 'ne', value: 'PL' }, false, true],
  [{ fact: 'profile.country', op: 'in', value: ['DE', 'PL'] }, true, false],
  [{ fact: 'profile.country', op: 'exists' }, true, false],
  [{ fact: 'profile.country', op: 'exists', value: false }, false, true],
  [{ fact: 'profile.locale', op: 'eq', value: 'pl' }, true, false],
  [{ fact: 'profile.level', op: 'eq', value: 'full' }, true, false],
  [{ fact: 'profile.level', op: 'eq', value: 'basic' }, false, true],
  [{ fact: 'profile.createdAt', op: 'within', value: 'P1Y' }, true, false],
  [{ fact: 'profile.createdAt', op: 'lt', value: '2026-02-01T00:00:00Z' }, true, false],
  [{ fact: 'consent.loyalty', op: 'eq', value: 'granted' }, true, false],
  [{ fact: 'consent.newsletter', op: 'eq', value: 'withdrawn' }, true, false],
  [{ fact: 'consent.cart_reminders', op: 'eq', value: 'unknown' }, true, true],
  [{ fact: 'consent.loyalty', op: 'in', value: ['granted', 'unknown'] }, true, true],
  [{ fact: 'loyalty.tier', op: 'in', value: ['gold', 'platinum'] }, true, false],
  [{ fact: 'loyalty.tier', op: 'ne', value: 'gold' }, false, true],
  [{ fact: 'loyalty.points', op: 'gte', value: 1200 }, true, false],
  [{ fact: 'loyalty.points', op: 'gt', value: 1200 }, false, false],
  [{ fact: 'loyalty.points', op: 'lt', value: 1500 }, true, false],
  [{ fact: 'loyalty.points', op: 'lte', value: 1199 }, false, false],
  [{ fact: 'orders.count', op: 'eq', value: 3 }, true, false],
  [{ fact: 'orders.count', op: 'eq', value: 0 }, false, true],
  [{ fact: 'orders.lastAt', op: 'within', value: 'P30D' }, true, false],
  [{ fact: 'orders.lastAt', op: 'notWithin', value: 'P90D' }, false, true],
  [{ fact: 'orders.totalSpent', op: 'gte', value: { amount: 150.5, currency: 'PLN' } }, true, false],
  [{ fact: 'orders.totalSpent', op: 'gt', value: { amount: 20, currency: 'EUR' } }, false, false],
  [{ fact: 'orders.totalSpent', op: 'lt', value: { amount: 1, currency: 'EUR' } }, false, true],
  [{ fact: 'cart.hasItems', op: 'eq', value: true }, true, false],
  [{ fact: 'cart.hasItems', op: 'eq', value: false }, false, true],
  [{ fact: 'cart.updatedAt', op: 'within', value: 'P2D' }, true, false],
  [{ fact: 'views.category', op: 'eq', value: 'tea' }, true, false],
  [{ fact: 'views.category', op: 'in', value: ['lamps', 'mugs'] }, true, false],
  [{ fact: 'views.category', op: 'ne', value: 'tea' }, false, true],
  [{ fact: 'views.category', op: 'exists' }, true, false],
  [{ fact: 'views.category', op: 'exists', value: false }, false, true],
  [{ fact: 'profile.locale', op: 'ne', value: 'en' }, true, false],
  [{ fact: 'profile.locale', op: 'in', value: ['pl', 'ru'] }, true, false],
  [{ fact: 'profile.locale', op: 'exists' }, true, true],
  [{ fact: 'profile.level', op: 'ne', value: 'full' }, false, true],
  [{ fact: 'profile.level', op: 'in', value: ['basic', 'none'] }, false, true],
  [{ fact: 'profile.createdAt', op: 'notWithin', value: 'P1Y' }, false, true],
  [{ fact: 'profile.createdAt', op: 'gt', value: '2026-01-15T10:00:00Z' }, false, false],
  [{ fact: 'profile.createdAt', op: 'gte', value: '2026-01-15T11:00:00+01:00' }, true, false],
  [{ fact: 'profile.createdAt', op: 'lte', value: '2026-01-15T10:00:00Z' }, true, false],
  [{ fact: 'profile.createdAt', op: 'exists', value: false }, false, true],
  [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }, true, false],
  [{ fact: 'loyalty.tier', op: 'exists' }, true, false],
  [{ fact: 'loyalty.points', op: 'eq', value: 1200 }, true, false],
  [{ fact: 'loyalty.points', op: 'ne', value: 1200 }, false, true],
  [{ fact: 'loyalty.points', op: 'in', value: [100, 1200] }, true, false],
  [{ fact: 'loyalty.points', op: 'exists' }, true, false],
  [{ fact: 'orders.count', op: 'ne', value: 0 }, true, false],
  [{ fact: 'orders.count', op: 'gt', value: 2 }, true, false],
  [{ fact: 'orders.count', op: 'gte', value: 1 }, true, false],
  [{ fact: 'orders.count', op: 'lt', value: 1 }, false, true],
  [{ fact: 'orders.count', op: 'lte', value: 3 }, true, true],
  [{ fact: 'orders.count', op: 'in', value: [0, 1] }, false, true],
  // Everyone has an order count, zero included.
  [{ fact: 'orders.count', op: 'exists' }, true, true],
  [{ fact: 'orders.lastAt', op: 'gt', value: '2026-10-20T10:00:00Z' }, false, false],
  [{ fact: 'orders.lastAt', op: 'gte', value: '2026-10-20T10:00:00Z' }, true, false],
  [{ fact: 'orders.lastAt', op: 'lt', value: '2026-11-01T00:00:00Z' }, true, false],
  [{ fact: 'orders.lastAt', op: 'lte', value: '2026-10-01T00:00:00Z' }, false, false],
  [{ fact: 'orders.lastAt', op: 'exists', value: false }, false, true],
  [{ fact: 'orders.totalSpent', op: 'eq', value: { amount: 150.5, currency: 'PLN' } }, true, false],
  [{ fact: 'orders.totalSpent', op: 'lte', value: { amount: 0, currency: 'PLN' } }, false, true],
  [{ fact: 'cart.updatedAt', op: 'notWithin', value: 'P2D' }, false, true],
  [{ fact: 'cart.updatedAt', op: 'gt', value: '2026-11-01T00:00:00Z' }, true, false],
  [{ fact: 'cart.updatedAt', op: 'gte', value: '2026-11-01T08:00:00Z' }, true, false],
  [{ fact: 'cart.updatedAt', op: 'lt', value: '2026-11-01T00:00:00Z' }, false, false],
  [{ fact: 'cart.updatedAt', op: 'lte', value: '2026-11-01T08:00:00Z' }, true, false],
  [{ fact: 'cart.updatedAt', op: 'exists' }, true, false],
  // Every marketing topic: Anna agreed to loyalty news and withdrew from the newsletter; of the rest nothing is known.
  ...MARKETING_TOPICS.flatMap((topic): [SegmentCondition, boolean, boolean][] => {
    const annas = topic === 'loyalty' ? 'granted' : topic === 'newsletter' ? 'withdrawn' : 'unknown';
    return [
      [{ fact: `consent.${topic}`, op: 'eq', value: annas }, true, annas === 'unknown'],
      [{ fact: `consent.${topic}`, op: 'ne', value: 'unknown' }, annas !== 'unknown', false],
      [{ fact: `consent.${topic}`, op: 'in', value: ['granted', 'withdrawn'] }, annas !== 'unknown', false],
    ];
  }),
];

describe('segment conditions, fact by fact', () => {
  it('the cases below cover every fact with every operator it takes', () => {
    const covered = new Set(CASES.map(([c]) => `${c.fact} ${c.op}`));
    const missing = Object.entries(SEGMENT_FACTS).flatMap(([fact, kind]) =>
      OPERATORS_BY_KIND[kind].filter((op) => !covered.has(`${fact} ${op}`)).map((op) => `${fact} ${op}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(CASES)('%j: Anna %s, a customer without the fact %s', (condition, forAnna, forBare) => {
    expect(segmentSchema.safeParse({ id: 's', name: 'S', match: 'all', conditions: [condition] }).success).toBe(true);
    expect(holds(condition)).toBe(forAnna);
    expect(holds(condition, bare)).toBe(forBare);
  });

  it('reads views only for customers at level full, like every view', () => {
    const basic = { ...anna, profile: { ...anna.profile, personalization: 'basic' as const } };
    expect(holds({ fact: 'views.category', op: 'eq', value: 'tea' }, basic)).toBe(false);
  });

  it('"within" counts calendar days in the shop’s zone, across the end of summer time', () => {
    // Warsaw left summer time on 25 October 2026 at 03:00: the day before "now" at noon was 25 hours long.
    const now = '2026-10-26T11:00:00.000Z'; // 12:00 in Warsaw
    expect(lookbackStart(now, 'P1D', ZONE)).toBe('2026-10-25T11:00:00.000Z');
    expect(lookbackStart(now, 'P2D', ZONE)).toBe('2026-10-24T10:00:00.000Z'); // 12:00 summer time
    const orderedAt = (placedAt: string) => ({ ...bare, orders: [{ total: 1, currency: 'EUR', placedAt }] });
    // 47.5 hours ago is still "within two days": two calendar days back is 49 hours here.
    expect(holds({ fact: 'orders.lastAt', op: 'within', value: 'P2D' }, orderedAt('2026-10-24T11:30:00.000Z'), now)).toBe(true);
    expect(holds({ fact: 'orders.lastAt', op: 'within', value: 'P2D' }, orderedAt('2026-10-24T09:59:00.000Z'), now)).toBe(false);
    expect(holds({ fact: 'orders.lastAt', op: 'within', value: 'PT48H' }, orderedAt('2026-10-24T10:30:00.000Z'), now)).toBe(false);
    // And across its start (29 March 2026, 02:00 → 03:00): the day before noon on 30 March was 23 hours long.
    expect(lookbackStart('2026-03-30T10:00:00.000Z', 'P1D', ZONE)).toBe('2026-03-29T10:00:00.000Z');
    expect(lookbackStart('2026-03-30T10:00:00.000Z', 'P2D', ZONE)).toBe('2026-03-28T11:00:00.000Z');
    // Months are calendar months: P1M back from 31 March 12:00 (summer time) is 28 February 12:00 (winter time).
    expect(lookbackStart('2026-03-31T10:00:00.000Z', 'P1M', ZONE)).toBe('2026-02-28T11:00:00.000Z');
  });

  it('a date in the future is not "within" the past', () => {
    expect(
      holds(
        { fact: 'cart.updatedAt', op: 'within', value: 'P1D' },
        { ...bare, carts: [{ items: [], updatedAt: '2026-11-03T12:00:00.000Z' }] },
      ),
    ).toBe(false);
  });

  it('match "all" needs every condition, "any" one, and says which held', () => {
    const conditions: SegmentCondition[] = [
      { fact: 'loyalty.tier', op: 'eq', value: 'gold' },
      { fact: 'orders.lastAt', op: 'notWithin', value: 'P90D' },
    ];
    expect(evaluateSegment({ match: 'all', conditions }, anna, NOW, ZONE)).toEqual({ matches: false, matched: [conditions[0]] });
    expect(evaluateSegment({ match: 'any', conditions }, anna, NOW, ZONE)).toEqual({ matches: true, matched: [conditions[0]] });
  });
});

describe('segment validation', () => {
  const errorsOf = (segment: unknown) => {
    const parsed = segmentSchema.safeParse(segment);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const valid = { id: 'gold-members', name: 'Gold members', match: 'all', conditions: [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }] };

  it('accepts a valid segment', () => expect(errorsOf(valid)).toEqual([]));

  it('names the field and the problem in words', () => {
    expect(errorsOf({ ...valid, conditions: [{ fact: 'profile.email', op: 'eq', value: 'x' }] })).toEqual([
      expect.stringMatching(/^conditions\.0\.fact: is not a fact segments know; use one of profile\.country/),
    ]);
    expect(errorsOf({ ...valid, conditions: [{ fact: 'loyalty.tier', op: 'within', value: 'P1D' }] })).toEqual([
      'conditions.0.op: "within" does not apply to loyalty.tier; use one of eq, ne, in, exists',
    ]);
    expect(errorsOf({ ...valid, conditions: [{ fact: 'orders.lastAt', op: 'within', value: '90 days' }] })).toEqual([
      'conditions.0.value: must be an ISO-8601 duration back from now, such as P90D or P3M',
    ]);
    expect(errorsOf({ ...valid, conditions: [{ fact: 'orders.totalSpent', op: 'gt', value: 100 }] })).toEqual([
      expect.stringMatching(/^conditions\.0\.value: must be \{"amount"/),
    ]);
    expect(errorsOf({ ...valid, conditions: [{ fact: 'consent.loyalty', op: 'eq', value: 'yes' }] })).toEqual([
      'conditions.0.value: must be granted, withdrawn or unknown',
    ]);
    expect(errorsOf({ ...valid, conditions: [{ fact: 'loyalty.points', op: 'in', value: [] }] })).toEqual([
      'conditions.0.value: must be a list of 1 to 50 values for "in"',
    ]);
    expect(errorsOf({ ...valid, match: 'some' })).toEqual(['match: must be "all" or "any"']);
    expect(errorsOf({ ...valid, id: '../x' })).toEqual([expect.stringMatching(/^id: must be lowercase letters/)]);
    expect(errorsOf({ ...valid, conditions: [] })).toEqual(['conditions: must have at least one condition']);
  });
});

describe('conditions in words', () => {
  it.each<[SegmentCondition, string]>([
    [{ fact: 'loyalty.tier', op: 'in', value: ['gold', 'platinum'] }, 'loyalty tier is gold or platinum'],
    [{ fact: 'orders.lastAt', op: 'notWithin', value: 'P90D' }, 'last order not in the last 90 days (or never)'],
    [{ fact: 'cart.updatedAt', op: 'within', value: 'PT36H' }, 'cart last changed in the last 36 hours'],
    [{ fact: 'orders.totalSpent', op: 'gte', value: { amount: 1000, currency: 'PLN' } }, 'total spent is at least 1,000 PLN'],
    [{ fact: 'consent.cart_reminders', op: 'eq', value: 'granted' }, 'consent to cart reminders is granted'],
    [{ fact: 'views.category', op: 'eq', value: 'tea' }, 'viewed a product in category tea'],
    [{ fact: 'cart.hasItems', op: 'eq', value: false }, 'cart is empty'],
    [{ fact: 'profile.country', op: 'exists', value: false }, 'no country known'],
  ])('%j reads "%s"', (condition, words) => expect(describeCondition(condition)).toBe(words));

  it('a segment reads as one sentence', () => {
    expect(
      describeSegment({
        match: 'any',
        conditions: [
          { fact: 'loyalty.tier', op: 'eq', value: 'gold' },
          { fact: 'loyalty.points', op: 'gte', value: 1000 },
        ],
      }),
    ).toBe('any of: loyalty tier is gold; loyalty points is at least 1,000');
  });
});

describe('a rule in the reader’s words (the /why page of a broadcast)', () => {
  const english = Object.keys(SEGMENT_FACTS).map((fact) => describeCondition({ fact, op: 'exists' }).replace(/ is known$/, ''));

  it.each(['pl', 'ru'] as const)('says every fact with every operator in %s, without a code or an English word', (locale) => {
    for (const [condition] of CASES) {
      const words = segmentInWords({ match: 'all', conditions: [condition] }, locale);
      expect(words).not.toMatch(/undefined|\[object|[a-z]+\.[a-z]+/i);
      for (const fact of english) expect(words).not.toContain(fact);
      expect(words).not.toMatch(/\b(is|or|granted|withdrawn|in the last)\b/);
    }
  });

  it.each<[Locale, string]>([
    ['en', 'loyalty tier is gold or platinum'],
    ['pl', 'poziom w programie lojalnościowym: gold lub platinum'],
    ['ru', 'уровень в программе лояльности: gold или platinum'],
  ])('in %s: "%s"', (locale, words) =>
    expect(segmentInWords({ match: 'all', conditions: [{ fact: 'loyalty.tier', op: 'in', value: ['gold', 'platinum'] }] }, locale)).toBe(
      words,
    ),
  );

  it('says lookbacks, amounts and consent in the language, and joins conditions', () => {
    const rule = {
      match: 'any' as const,
      conditions: [
        { fact: 'orders.lastAt', op: 'notWithin' as const, value: 'P90D' },
        { fact: 'orders.totalSpent', op: 'gte' as const, value: { amount: 1000, currency: 'PLN' } },
        { fact: 'consent.loyalty', op: 'eq' as const, value: 'granted' },
      ],
    };
    expect(segmentInWords(rule, 'pl')).toBe(
      'jeden z warunków: ostatnie zamówienie: nie w ciągu ostatnich 90 dni (albo nigdy); łączna wartość zamówień: co najmniej 1000 PLN; ' +
        'zgoda na wiadomości programu lojalnościowego: udzielona',
    );
    expect(segmentInWords(rule, 'ru')).toBe(
      'одно из условий: последний заказ: не за последние 90 дней (или никогда); сумма заказов: не меньше 1\u00a0000 PLN; ' +
        'согласие на новости программы лояльности: дано',
    );
  });
});

describe('docs/segments.md', () => {
  it('lists every fact with its kind and where it comes from', () => {
    const rows = readFileSync(join(__dirname, '..', '..', 'docs', 'segments.md'), 'utf8')
      .split('\n')
      .filter((line) => /^\| `(profile|consent|loyalty|orders|cart|views)\./.test(line));
    const listed = new Map<string, string>();
    for (const row of rows) {
      const [facts, kinds, source] = row.split('|').slice(1, 4);
      expect(source!.trim()).not.toBe('');
      const names = [...facts!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const kindsOf = kinds!.split(',').map((k) => k.trim());
      names.forEach((name, i) => listed.set(name, kindsOf[i] ?? kindsOf[0]!));
    }
    const expected = Object.entries(SEGMENT_FACTS).map(([fact, kind]) => [fact.startsWith('consent.') ? 'consent.<topic>' : fact, kind]);
    for (const [fact, kind] of expected) expect([fact, listed.get(fact!)]).toEqual([fact, kind]);
  });
});
