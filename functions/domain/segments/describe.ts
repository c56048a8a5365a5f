import { Duration } from 'luxon';
import type { Segment, SegmentCondition } from './segment';

/** Conditions as a marketer reads them ("loyalty tier is gold or platinum"); the codes stay in the API. */
const FACT_WORDS: Record<string, string> = {
  'profile.country': 'country',
  'profile.locale': 'language',
  'profile.level': 'personalization level',
  'profile.createdAt': 'customer since',
  'loyalty.tier': 'loyalty tier',
  'loyalty.points': 'loyalty points',
  'orders.count': 'number of orders',
  'orders.lastAt': 'last order',
  'orders.totalSpent': 'total spent',
  'cart.hasItems': 'cart has items',
  'cart.updatedAt': 'cart last changed',
  'views.category': 'viewed a product in category',
};

export const factWords = (fact: string): string =>
  FACT_WORDS[fact] ?? (fact.startsWith('consent.') ? `consent to ${fact.slice('consent.'.length).replaceAll('_', ' ')}` : fact);

function valueWords(value: unknown): string {
  if (Array.isArray(value))
    return value.length <= 1 ? valueWords(value[0]) : `${value.slice(0, -1).map(valueWords).join(', ')} or ${valueWords(value.at(-1))}`;
  if (typeof value === 'object' && value !== null && 'amount' in value) {
    const money = value as unknown as { amount: number; currency: string };
    return `${money.amount.toLocaleString('en')} ${money.currency}`;
  }
  if (typeof value === 'number') return value.toLocaleString('en');
  return String(value);
}

const OP_WORDS: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is',
};
const lookback = (iso: string): string => Duration.fromISO(iso).toHuman({ listStyle: 'long' });

export function describeCondition(c: SegmentCondition): string {
  const fact = factWords(c.fact);
  if (c.fact === 'cart.hasItems') return c.value === false ? 'cart is empty' : 'cart has items';
  if (c.fact === 'views.category') {
    if (c.op === 'exists') return c.value === false ? 'viewed no products' : 'viewed products';
    return `${c.op === 'ne' ? 'did not view' : 'viewed'} a product in category ${valueWords(c.value)}`;
  }
  switch (c.op) {
    case 'exists':
      return c.value === false ? `no ${fact} known` : `${fact} is known`;
    case 'within':
      return `${fact} in the last ${lookback(c.value as string)}`;
    case 'notWithin':
      return `${fact} not in the last ${lookback(c.value as string)} (or never)`;
    default:
      return `${fact} ${OP_WORDS[c.op] ?? c.op} ${valueWords(c.value)}`;
  }
}

/** The whole segment in one sentence: "all of: …" or "any of: …". */
export function describeSegment(segment: Pick<Segment, 'match' | 'conditions'>): string {
  const parts = segment.conditions.map(describeCondition);
  if (parts.length === 1) return parts[0]!;
  return `${segment.match === 'all' ? 'all of' : 'any of'}: ${parts.join('; ')}`;
}
