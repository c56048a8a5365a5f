import type { ShopEvent } from '../events/events';
import type { Cart, Profile } from '../customers/profile';

/**
 * Conditions in campaign definitions are data: a fact, an operator, a value. Facts are computed from
 * the event and the state before it (`previous.*`), or at send time from the profile and cart, so a
 * step can re-check what still holds.
 */
export const CONDITION_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'changedTo', 'crossedUp', 'rankUp'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface Condition {
  fact: string;
  op: ConditionOperator;
  value?: unknown;
}

export type Facts = Record<string, unknown>;

const cartValue = (items: { price: number; qty: number }[]): number =>
  Math.round(items.reduce((sum, i) => sum + i.price * i.qty, 0) * 100) / 100;

/** Facts about an event, with `previous.*` facts from the state it changes. */
export function eventFacts(
  event: ShopEvent,
  previous: Pick<Profile, 'loyalty' | 'country'> | undefined,
  recentViewSkus: string[] = [],
): Facts {
  const facts: Facts = {
    'event.type': event.type,
    'profile.country': previous?.country,
    'previous.loyalty.tier': previous?.loyalty?.tier,
    'previous.loyalty.points': previous?.loyalty?.points ?? 0,
  };
  switch (event.type) {
    case 'cart.updated':
      return { ...facts, 'cart.itemCount': event.data.items.reduce((n, i) => n + i.qty, 0), 'cart.value': cartValue(event.data.items) };
    case 'order.placed':
      return { ...facts, 'order.total': event.data.total, 'order.itemCount': event.data.items.length };
    case 'loyalty.points_changed':
      return {
        ...facts,
        'loyalty.tier': event.data.tier,
        'loyalty.points': event.data.points,
        'loyalty.pointsExpireAt': event.data.pointsExpireAt,
      };
    case 'product.viewed':
      // This view plus the stored ones of the same product in the last 24 hours (kept only at level full).
      return {
        ...facts,
        'product.price': event.data.price,
        'product.category': event.data.category,
        'product.viewsIn24h': 1 + recentViewSkus.filter((s) => s === event.data.sku).length,
      };
    default:
      return facts;
  }
}

/** Facts at send time, for steps that re-check their conditions. */
export function sendFacts(profile: Profile, cart: Cart | undefined, journeyKey?: string): Facts {
  return {
    'journey.key': journeyKey,
    'profile.country': profile.country,
    'loyalty.tier': profile.loyalty?.tier,
    'loyalty.points': profile.loyalty?.points ?? 0,
    'cart.itemCount': cart ? cart.items.reduce((n, i) => n + i.qty, 0) : 0,
    'cart.value': cart ? cartValue(cart.items) : 0,
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

export function holds(condition: Condition, facts: Facts): boolean {
  const actual = facts[condition.fact];
  const before = facts[`previous.${condition.fact}`];
  // "$fact" compares with another fact, e.g. the tier a journey was started for: "$journey.key".
  const value = typeof condition.value === 'string' && condition.value.startsWith('$') ? facts[condition.value.slice(1)] : condition.value;
  switch (condition.op) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'gt':
      return num(actual) > num(value);
    case 'gte':
      return num(actual) >= num(value);
    case 'lt':
      return num(actual) < num(value);
    case 'lte':
      return num(actual) <= num(value);
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'changedTo':
      return actual === value && before !== value;
    case 'crossedUp':
      return num(actual) >= num(value) && !(num(before) >= num(value));
    case 'rankUp': {
      // value: the ranks in order, lowest first; true when the fact moved to a higher rank.
      // Joining at some tier is not an upgrade: the previous tier must be one of the ranks.
      if (!Array.isArray(value) || !value.includes(before)) return false;
      return value.indexOf(actual) > value.indexOf(before);
    }
  }
}

export const allHold = (conditions: Condition[] | undefined, facts: Facts): boolean => (conditions ?? []).every((c) => holds(c, facts));
