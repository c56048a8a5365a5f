import { DateTime, Duration } from 'luxon';
import { DEFAULT_PERSONALIZATION, type Profile } from '../customers/profile';
import { SEGMENT_FACTS, type Segment, type SegmentCondition } from './facts';

/**
 * What a segment reads of one customer: the profile and the few records beside it that tactful already
 * keeps (orders, carts, views at level full). Nothing is kept for segments alone.
 */
export interface SegmentSubject {
  profile: Profile;
  orders: { total: number; currency: string; placedAt: string }[];
  carts: { items: unknown[]; updatedAt: string }[];
  /** Categories of products viewed; read only for customers at level `full`, like every view. */
  viewedCategories: string[];
}

export interface SegmentMatch {
  matches: boolean;
  /** The conditions that held, in the segment's order: "why is this customer in it". */
  matched: SegmentCondition[];
}

/** The facts of SEGMENT_FACTS for one customer; a fact the customer does not have is undefined. */
export function segmentFacts(subject: SegmentSubject): Record<string, unknown> {
  const { profile, orders, carts } = subject;
  const level = profile.personalization ?? DEFAULT_PERSONALIZATION;
  const newest = <T>(items: T[], at: (item: T) => string): T | undefined =>
    items.reduce<T | undefined>((best, item) => (best === undefined || at(item) > at(best) ? item : best), undefined);
  const facts: Record<string, unknown> = {
    'profile.country': profile.country,
    'profile.locale': profile.locale,
    'profile.level': level,
    'profile.createdAt': profile.createdAt,
    'loyalty.tier': profile.loyalty?.tier,
    'loyalty.points': profile.loyalty?.points,
    'orders.count': orders.length,
    'orders.lastAt': newest(orders, (o) => o.placedAt)?.placedAt,
    'orders.totalSpent': orders,
    'cart.hasItems': carts.some((c) => c.items.length > 0),
    'cart.updatedAt': newest(carts, (c) => c.updatedAt)?.updatedAt,
    'views.category': level === 'full' ? subject.viewedCategories : [],
  };
  for (const fact of Object.keys(SEGMENT_FACTS)) {
    if (fact.startsWith('consent.'))
      facts[fact] = profile.consent[fact.slice('consent.'.length) as keyof Profile['consent']]?.status ?? 'unknown';
  }
  return facts;
}

/** The earliest instant "within" a look-back reaches: calendar-aware in the shop's zone (P1D across DST is one day). */
export function lookbackStart(now: string, lookback: string, timeZone: string): string {
  return DateTime.fromISO(now, { zone: timeZone }).minus(Duration.fromISO(lookback)).toUTC().toISO()!;
}

const compare = (op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq', a: number | string, b: number | string): boolean =>
  op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : op === 'lte' ? a <= b : a === b;

const instant = (iso: string): string => DateTime.fromISO(iso, { setZone: true }).toUTC().toISO()!;

function conditionHolds(condition: SegmentCondition, facts: Record<string, unknown>, now: string, timeZone: string): boolean {
  const actual = facts[condition.fact];
  const { op, value } = condition;
  if (condition.fact === 'views.category') {
    const viewed = actual as string[];
    if (op === 'exists') return viewed.length > 0 === (value !== false);
    if (op === 'eq') return viewed.includes(value as string);
    if (op === 'ne') return !viewed.includes(value as string);
    return op === 'in' && viewed.some((c) => (value as string[]).includes(c));
  }
  if (condition.fact === 'orders.totalSpent') {
    const money = value as { amount: number; currency: string };
    const spent = (actual as SegmentSubject['orders']).filter((o) => o.currency === money.currency).reduce((sum, o) => sum + o.total, 0);
    return compare(op as 'gt', Math.round(spent * 100) / 100, money.amount);
  }
  const missing = actual === undefined || actual === null;
  switch (op) {
    case 'exists':
      return missing === (value === false);
    case 'ne':
      // "Tier is not gold" includes customers with no tier at all.
      return missing || actual !== value;
    case 'notWithin':
      // "No order in the last 90 days" includes customers who never ordered.
      return missing || instant(actual as string) < lookbackStart(now, value as string, timeZone);
    default:
      break;
  }
  if (missing) return false;
  switch (op) {
    case 'eq':
      return actual === value;
    case 'in':
      return (value as unknown[]).includes(actual);
    case 'within': {
      const at = instant(actual as string);
      return at >= lookbackStart(now, value as string, timeZone) && at <= instant(now);
    }
    default:
      return typeof actual === 'number'
        ? compare(op, actual, value as number)
        : compare(op as 'gt', instant(actual as string), instant(value as string));
  }
}

/** Whether a customer is in a segment now, and which of its conditions held. */
export function evaluateSegment(
  segment: Pick<Segment, 'match' | 'conditions'>,
  subject: SegmentSubject,
  now: string,
  timeZone: string,
): SegmentMatch {
  const facts = segmentFacts(subject);
  const matched = segment.conditions.filter((c) => conditionHolds(c, facts, now, timeZone));
  const matches = segment.match === 'all' ? matched.length === segment.conditions.length : matched.length > 0;
  return { matches, matched };
}
