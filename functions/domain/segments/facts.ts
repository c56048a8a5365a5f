import { MARKETING_TOPICS } from '../events/topics';

/**
 * A segment is data: which customers, by facts tactful already keeps (docs/segments.md lists where each
 * comes from). The list of facts is closed, and each fact has a kind that decides its operators and the
 * shape of its value, so a segment that validates can always be evaluated. Zod-free: the send path
 * evaluates segments (a campaign's `trigger.segment`) without loading the schemas (segment.ts).
 */
export type FactKind = 'text' | 'number' | 'date' | 'flag' | 'money' | 'consent' | 'level';

export const SEGMENT_FACTS: Record<string, FactKind> = {
  'profile.country': 'text',
  'profile.locale': 'text',
  'profile.level': 'level',
  'profile.createdAt': 'date',
  'loyalty.tier': 'text',
  'loyalty.points': 'number',
  'orders.count': 'number',
  'orders.lastAt': 'date',
  'orders.totalSpent': 'money',
  'cart.hasItems': 'flag',
  'cart.updatedAt': 'date',
  'views.category': 'text',
  ...Object.fromEntries(MARKETING_TOPICS.map((topic) => [`consent.${topic}`, 'consent' as const])),
};

export const SEGMENT_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'within', 'notWithin'] as const;
export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

export const OPERATORS_BY_KIND: Record<FactKind, readonly SegmentOperator[]> = {
  text: ['eq', 'ne', 'in', 'exists'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'],
  date: ['within', 'notWithin', 'gt', 'gte', 'lt', 'lte', 'exists'],
  flag: ['eq'],
  money: ['gt', 'gte', 'lt', 'lte', 'eq'],
  consent: ['eq', 'ne', 'in'],
  level: ['eq', 'ne', 'in'],
};

export const CONSENT_STATES = ['granted', 'withdrawn', 'unknown'] as const;

export interface SegmentCondition {
  fact: string;
  op: SegmentOperator;
  value?: unknown;
}

export interface Segment {
  id: string;
  name: string;
  description?: string;
  match: 'all' | 'any';
  conditions: SegmentCondition[];
}
