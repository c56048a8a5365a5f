import type { Campaign } from '../journeys/campaign';
import type { Condition } from '../journeys/conditions';
import { durationInWords } from './time';
import { topicWords } from './outcomes';

/** Campaign conditions and settings as sentences ("loyalty tier is gold or platinum"); the JSON stays in the files. */

const FACT_WORDS: Record<string, string> = {
  'event.type': 'the event',
  'profile.country': 'country',
  'loyalty.tier': 'loyalty tier',
  'loyalty.points': 'loyalty points',
  'loyalty.pointsExpireAt': 'points expiry',
  'previous.loyalty.tier': 'the previous loyalty tier',
  'previous.loyalty.points': 'the previous loyalty points',
  'cart.itemCount': 'items in the cart',
  'cart.value': 'cart value',
  'order.total': 'order total',
  'order.itemCount': 'items in the order',
  'product.price': 'product price',
  'product.category': 'product category',
  'product.viewsIn24h': 'views of the product in 24 hours',
  'journey.key': 'the journey key',
};

export const factWords = (fact: string): string => FACT_WORDS[fact] ?? fact.replaceAll('.', ' ');

export function valueWords(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('$')) return factWords(value.slice(1));
  if (Array.isArray(value))
    return value.length <= 1 ? valueWords(value[0]) : `${value.slice(0, -1).map(valueWords).join(', ')} or ${valueWords(value.at(-1))}`;
  if (typeof value === 'number') return value.toLocaleString('en');
  if (value === undefined || value === null) return 'nothing';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function conditionWords(c: Condition): string {
  const fact = factWords(c.fact);
  switch (c.op) {
    case 'eq':
      return `${fact} is ${valueWords(c.value)}`;
    case 'ne':
      return `${fact} is not ${valueWords(c.value)}`;
    case 'gt':
      return `${fact} is more than ${valueWords(c.value)}`;
    case 'gte':
      return `${fact} is at least ${valueWords(c.value)}`;
    case 'lt':
      return `${fact} is less than ${valueWords(c.value)}`;
    case 'lte':
      return `${fact} is at most ${valueWords(c.value)}`;
    case 'in':
      return `${fact} is ${valueWords(c.value)}`;
    case 'exists':
      return `${fact} is known`;
    case 'changedTo':
      return `${fact} changed to ${valueWords(c.value)}`;
    case 'crossedUp':
      return `${fact} reached ${valueWords(c.value)}`;
    case 'rankUp':
      return `${fact} moved up a rank (${Array.isArray(c.value) ? c.value.map(valueWords).join(' < ') : valueWords(c.value)})`;
  }
}

/** "cart value is at least 20 and country is PL"; "always" when there are none. */
export const conditionsWords = (conditions: readonly Condition[] | undefined): string =>
  conditions?.length ? conditions.map(conditionWords).join(' and ') : 'always';

const EVENT_WORDS: Record<string, string> = {
  'customer.upserted': 'the shop updates a profile',
  'cart.updated': 'a cart changes',
  'cart.item_changed': 'an item in a cart changes',
  'order.placed': 'an order is placed',
  'product.viewed': 'a product is viewed',
  'loyalty.points_changed': 'loyalty points change',
  'consent.changed': 'consent changes',
};

export const eventWords = (event: string): string => EVENT_WORDS[event] ?? event;

/** When a step is due: "1 hour after the trigger", "7 days before points expiry". */
export function stepTiming(step: Campaign['steps'][number]): string {
  if (step.delay) return `${durationInWords(step.delay)} after the trigger`;
  if (step.dueBefore) return `${durationInWords(step.dueBefore.offset)} before ${factWords(step.dueBefore.fact)}`;
  return '';
}

/** The campaign's settings as sentences, in the order a marketer asks about them. */
export function campaignSentences(c: Campaign): string[] {
  const trigger = `Starts when ${eventWords(c.trigger.event)}${c.trigger.when ? ` (${c.trigger.when.replaceAll('_', ' ')})` : ''}${
    c.trigger.conditions?.length ? ` and ${conditionsWords(c.trigger.conditions)}` : ''
  }.`;
  const cancelRule = (r: Campaign['cancelOn'][number]) =>
    `${eventWords(r.event)}${r.conditions?.length ? ` and ${conditionsWords(r.conditions)}` : ''}`;
  const cancel = c.cancelOn.length ? `Ends early when ${c.cancelOn.map(cancelRule).join(', or when ')}.` : 'Never ends early.';
  const quiet =
    c.quietHours === 'off'
      ? 'Sends at any hour (no quiet hours).'
      : c.quietHours
        ? `Quiet hours ${c.quietHours.start}–${c.quietHours.end} in each customer's zone.`
        : "The shop's quiet hours apply, in each customer's zone.";
  return [
    c.kind === 'transactional'
      ? 'Transactional: order and account email, sent without marketing consent and outside caps.'
      : `Marketing about ${topicWords(c.topic)}: only to customers who agreed to it.`,
    trigger,
    cancel,
    `At most one journey per ${c.journeyKey === 'customer' ? 'customer' : c.journeyKey.replace('Id', '')} at a time; ` +
      `another may start ${durationInWords(c.reentryAfter)} after one has sent.`,
    `Needs the personalization level ${c.requiredLevel} or more.`,
    c.whenCapped === 'defer'
      ? 'When a frequency cap is reached, waits for a free slot.'
      : 'When a frequency cap is reached, the email is skipped.',
    ...(c.minInterval ? [`At least ${durationInWords(c.minInterval)} between two of its emails to one customer.`] : []),
    quiet,
    `Priority ${c.priority} of 100 when campaigns compete for the last slot.`,
    ...(c.holdout ? [`${Math.round(c.holdout * 1000) / 10}% of customers are held out to measure lift.`] : []),
    `Orders within ${durationInWords(c.attributionWindow)} of an email count as its conversions.`,
    c.whenPaused === 'skip' ? 'While paused, due steps are skipped.' : 'While paused, due steps are held until it resumes.',
  ];
}
