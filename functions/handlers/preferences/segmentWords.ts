import { Duration } from 'luxon';
import type { Locale } from '../../domain/events/events';
import { describeSegment } from '../../domain/segments/describe';
import type { Segment, SegmentCondition } from '../../domain/segments/segment';

/**
 * A segment's rule in the reader's language, for the /why page of a broadcast ("loyalty tier is gold").
 * English is the console's own sentence (domain/segments/describe.ts); Polish and Russian say the same
 * with a colon after the fact, which spares them agreeing a verb with each fact's gender.
 */

interface Words {
  facts: Record<string, string>;
  topics: Record<string, string>;
  values: Record<string, string>;
  consentTo: (topic: string) => string;
  is: string;
  isNot: string;
  more: string;
  atLeast: string;
  less: string;
  atMost: string;
  known: string;
  unknown: string;
  inLast: (span: string) => string;
  notInLast: (span: string) => string;
  cart: { has: string; empty: string };
  views: { category: (c: string) => string; notCategory: (c: string) => string; any: string; none: string };
  or: string;
  all: string;
  any: string;
}

const WORDS: Record<Exclude<Locale, 'en'>, Words> = {
  pl: {
    facts: {
      'profile.country': 'kraj',
      'profile.locale': 'język',
      'profile.level': 'poziom personalizacji',
      'profile.createdAt': 'klient od',
      'loyalty.tier': 'poziom w programie lojalnościowym',
      'loyalty.points': 'punkty lojalnościowe',
      'orders.count': 'liczba zamówień',
      'orders.lastAt': 'ostatnie zamówienie',
      'orders.totalSpent': 'łączna wartość zamówień',
      'cart.updatedAt': 'ostatnia zmiana koszyka',
    },
    topics: {
      cart_reminders: 'przypomnienia o koszyku',
      loyalty: 'wiadomości programu lojalnościowego',
      recommendations: 'rekomendacje',
      newsletter: 'newsletter',
    },
    values: { granted: 'udzielona', withdrawn: 'wycofana', unknown: 'nieznana', none: 'brak', basic: 'podstawowy', full: 'pełny' },
    consentTo: (topic) => `zgoda na ${topic}`,
    is: '',
    isNot: 'nie ',
    more: 'więcej niż ',
    atLeast: 'co najmniej ',
    less: 'mniej niż ',
    atMost: 'najwyżej ',
    known: 'znane',
    unknown: 'nieznane',
    inLast: (span) => `w ciągu ostatnich ${span}`,
    notInLast: (span) => `nie w ciągu ostatnich ${span} (albo nigdy)`,
    cart: { has: 'koszyk nie jest pusty', empty: 'koszyk jest pusty' },
    views: {
      category: (c) => `oglądany produkt z kategorii ${c}`,
      notCategory: (c) => `bez oglądanych produktów z kategorii ${c}`,
      any: 'oglądane produkty',
      none: 'bez oglądanych produktów',
    },
    or: 'lub',
    all: 'wszystkie warunki',
    any: 'jeden z warunków',
  },
  ru: {
    facts: {
      'profile.country': 'страна',
      'profile.locale': 'язык',
      'profile.level': 'уровень персонализации',
      'profile.createdAt': 'клиент с',
      'loyalty.tier': 'уровень в программе лояльности',
      'loyalty.points': 'баллы лояльности',
      'orders.count': 'число заказов',
      'orders.lastAt': 'последний заказ',
      'orders.totalSpent': 'сумма заказов',
      'cart.updatedAt': 'последнее изменение корзины',
    },
    topics: {
      cart_reminders: 'напоминания о корзине',
      loyalty: 'новости программы лояльности',
      recommendations: 'рекомендации',
      newsletter: 'рассылку',
    },
    values: { granted: 'дано', withdrawn: 'отозвано', unknown: 'неизвестно', none: 'нет', basic: 'базовый', full: 'полный' },
    consentTo: (topic) => `согласие на ${topic}`,
    is: '',
    isNot: 'не ',
    more: 'больше ',
    atLeast: 'не меньше ',
    less: 'меньше ',
    atMost: 'не больше ',
    known: 'известно',
    unknown: 'неизвестно',
    inLast: (span) => `за последние ${span}`,
    notInLast: (span) => `не за последние ${span} (или никогда)`,
    cart: { has: 'в корзине есть товары', empty: 'корзина пуста' },
    views: {
      category: (c) => `просмотрен товар из категории ${c}`,
      notCategory: (c) => `не просмотрено товаров из категории ${c}`,
      any: 'просмотрены товары',
      none: 'товары не просмотрены',
    },
    or: 'или',
    all: 'все условия',
    any: 'одно из условий',
  },
};

function valueIn(words: Words, locale: Locale, value: unknown): string {
  if (Array.isArray(value)) {
    const each = value.map((v) => valueIn(words, locale, v));
    return each.length <= 1 ? (each[0] ?? '') : `${each.slice(0, -1).join(', ')} ${words.or} ${each.at(-1)}`;
  }
  if (typeof value === 'object' && value !== null && 'amount' in value) {
    const money = value as { amount: number; currency: string };
    return `${money.amount.toLocaleString(locale)} ${money.currency}`;
  }
  if (typeof value === 'number') return value.toLocaleString(locale);
  return words.values[String(value)] ?? String(value);
}

function conditionIn(c: SegmentCondition, locale: Exclude<Locale, 'en'>): string {
  const w = WORDS[locale];
  if (c.fact === 'cart.hasItems') return c.value === false ? w.cart.empty : w.cart.has;
  if (c.fact === 'views.category') {
    if (c.op === 'exists') return c.value === false ? w.views.none : w.views.any;
    const category = valueIn(w, locale, c.value);
    return c.op === 'ne' ? w.views.notCategory(category) : w.views.category(category);
  }
  const topic = c.fact.startsWith('consent.') ? c.fact.slice('consent.'.length) : undefined;
  const fact = topic ? w.consentTo(w.topics[topic] ?? topic.replaceAll('_', ' ')) : (w.facts[c.fact] ?? c.fact);
  const span = () => Duration.fromISO(String(c.value)).reconfigure({ locale }).toHuman({ listStyle: 'long' });
  const value = () => valueIn(w, locale, c.value);
  const said: Record<string, () => string> = {
    exists: () => (c.value === false ? w.unknown : w.known),
    within: () => w.inLast(span()),
    notWithin: () => w.notInLast(span()),
    eq: () => w.is + value(),
    in: () => w.is + value(),
    ne: () => w.isNot + value(),
    gt: () => w.more + value(),
    gte: () => w.atLeast + value(),
    lt: () => w.less + value(),
    lte: () => w.atMost + value(),
  };
  return `${fact}: ${(said[c.op] ?? value)()}`;
}

/** The whole rule in one sentence, in `locale`. */
export function segmentInWords(segment: Pick<Segment, 'match' | 'conditions'>, locale: Locale): string {
  if (locale === 'en') return describeSegment(segment);
  const parts = segment.conditions.map((c) => conditionIn(c, locale));
  if (parts.length === 1) return parts[0]!;
  return `${segment.match === 'all' ? WORDS[locale].all : WORDS[locale].any}: ${parts.join('; ')}`;
}
