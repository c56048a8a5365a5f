import { durationInWords, timeInZone, untilInZone } from './time';

/**
 * What happened to one step of a journey, as a sentence a marketer reads on the Customers page
 * ("not sent: Anna withdrew cart reminders on 3 Dec at 10:14 Europe/Warsaw"). The outcome and reason
 * codes stay in the API (docs/sending.md lists them); this is the one place they become words.
 */

export const TOPIC_WORDS: Record<string, string> = {
  cart_reminders: 'cart reminders',
  loyalty: 'loyalty offers',
  recommendations: 'product recommendations',
  newsletter: 'the newsletter',
  tracking: 'open and click tracking',
  transactional: 'order and account email',
};

export const topicWords = (topic: string): string => TOPIC_WORDS[topic] ?? topic.replaceAll('_', ' ');

export interface OutcomeEntry {
  outcome: string;
  reason?: string;
  detail?: string;
  at: string;
  deferredTo?: string;
}

export interface OutcomeContext {
  /** Who the customer is called in the sentence: their first name, else "the customer". */
  name?: string;
  /** The marketer's zone: every time is shown in it, with its name. */
  viewerZone: string;
  /** The recipient's zone, for quiet hours ("quiet hours in Europe/Warsaw"). */
  recipientZone: string;
  /** When the customer withdrew a topic, from their consent ledger. */
  withdrawnAt?: (topic: string) => string | undefined;
  now: string;
}

const SUPPRESSION_WORDS: Record<string, string> = {
  'hard-bounce': 'their address bounced permanently',
  bounce: 'their address bounced permanently',
  complaint: 'they marked an email as spam',
  manual: 'the shop suppressed their address',
};

/** A cap's label ("global:2/PT24H", "preference:weekly") in words. */
export function capWords(detail: string | undefined): string {
  if (!detail) return 'a frequency cap was reached';
  if (detail.startsWith('yielded-to:'))
    return `the last free slot went to the higher-priority campaign ${detail.slice('yielded-to:'.length)}`;
  const [scope, rule] = detail.includes(':') ? (detail.split(':', 2) as [string, string]) : ['global', detail];
  const m = /^(\d+)\/(P.+)$/.exec(rule);
  if (m) {
    const n = Number(m[1]);
    const whose = scope === 'preference' ? 'their own limit' : scope === 'campaign' ? "the campaign's limit" : "the shop's limit";
    return `${whose} of ${n} email${n === 1 ? '' : 's'} per ${durationInWords(m[2]!)} was reached`;
  }
  if (scope === 'preference') return `their chosen frequency (${rule}) was reached`;
  return `a frequency cap (${detail}) was reached`;
}

function why(entry: OutcomeEntry, ctx: OutcomeContext): string {
  const who = ctx.name ?? 'the customer';
  const when = (iso: string): string => timeInZone(iso, ctx.viewerZone, ctx.now);
  const detail = entry.detail ?? '';
  switch (entry.reason) {
    case 'no-consent': {
      const withdrawn = ctx.withdrawnAt?.(detail);
      return withdrawn ? `${who} withdrew ${topicWords(detail)} on ${when(withdrawn)}` : `${who} has not agreed to ${topicWords(detail)}`;
    }
    case 'suppressed':
      return SUPPRESSION_WORDS[detail] ?? `their address is suppressed (${detail})`;
    case 'capped':
      return capWords(entry.detail);
    case 'level':
      return `${who} chose a lower personalization level than the campaign needs (${detail.replace(/^needs /, '')})`;
    case 'missing-data':
      if (detail === 'no-email') return `no email address is known for ${who}`;
      if (detail === 'no-profile') return `no profile is stored for ${who}`;
      return `the email needs data that is missing${detail ? ` (${detail})` : ''}`;
    case 'held-out':
      return `${who} is in the campaign's holdout group, kept from email to measure its effect`;
    case 'duplicate':
      return 'this email had already been sent';
    case 'render-budget':
      return 'the template took too long or grew too large to render';
    case 'paused':
      return 'the campaign is paused';
    case 'step-removed':
      return 'a newer version of the campaign no longer has this step';
    case 'template-removed':
      return "the step's template is not published";
    case 'quiet-hours-deferred':
      return `quiet hours in ${ctx.recipientZone}`;
    case 'quiet-hours':
      return `it was due inside quiet hours in ${ctx.recipientZone}, and it skips them there`;
    case 'not-in-segment':
      return `${who} is no longer in the segment the campaign is for (${detail.replace(/^segment:/, '')})`;
    case 'cancelled':
      if (detail === 'cart-empty') return 'the cart is empty';
      if (detail === 'campaign-removed') return 'the campaign was removed';
      if (detail === 'broadcast-cancelled') return 'the broadcast was cancelled';
      if (detail.startsWith('condition:')) return `the step's condition on ${detail.slice('condition:'.length)} no longer holds`;
      if (detail === 'order.placed' || detail === 'order_placed') return `${who} placed an order`;
      return detail ? `the journey was cancelled (${detail.replaceAll('.', ' ')})` : 'the journey was cancelled';
    default:
      return entry.reason ? entry.reason.replaceAll('-', ' ') : detail.replaceAll('-', ' ');
  }
}

/**
 * The sentence for one log entry, without its own time (the timeline shows it beside): "sent",
 * "not sent: Anna withdrew cart reminders on 3 Dec at 10:14 Europe/Warsaw", "held: quiet hours in
 * Europe/Warsaw until 07:00 Europe/Warsaw".
 */
export function outcomeSentence(entry: OutcomeEntry, ctx: OutcomeContext): string {
  switch (entry.outcome) {
    case 'sent':
      return 'sent';
    case 'deferred': {
      const until = entry.deferredTo
        ? entry.reason === 'quiet-hours-deferred'
          ? ` until ${untilInZone(entry.deferredTo, entry.at, ctx.recipientZone)}`
          : ` until ${timeInZone(entry.deferredTo, ctx.viewerZone, ctx.now)}`
        : '';
      return `held: ${why(entry, ctx)}${until}`;
    }
    case 'cancelled':
      return `journey ended: ${why(entry, ctx)}`;
    case 'failed':
      return entry.detail === 'unknown-outcome'
        ? "SES did not answer: whether it was sent is settled by SES's own report"
        : `failed${entry.detail ? ` (${entry.detail.replaceAll('-', ' ')})` : ''}: it is retried or reported`;
    default:
      return `not sent: ${why(entry, ctx)}`;
  }
}

const REASON_WORDS: Record<string, string> = {
  'no-consent': 'no consent to the topic',
  suppressed: 'address suppressed after a bounce or complaint',
  capped: 'a frequency cap was reached',
  level: 'personalization level too low for the campaign',
  'missing-data': 'data the email needs is missing',
  'held-out': 'in the holdout group',
  duplicate: 'already sent',
  'render-budget': 'template too slow or too large to render',
  paused: 'campaign paused',
  'step-removed': 'the step was removed in a newer version',
  'template-removed': "the step's template is not published",
  cancelled: 'journey ended (an order, an empty cart, a condition that no longer holds, or the broadcast was cancelled)',
  'quiet-hours': 'inside quiet hours, and it skips them',
  'not-in-segment': 'no longer in the segment the campaign is for',
  'quiet-hours-deferred': 'held for quiet hours',
  'deferred:quiet-hours-deferred': 'held for quiet hours',
  'deferred:capped': 'waiting for a free slot under the caps',
};

/** A reason code in a count ("48 × a frequency cap was reached"): no customer, so no names or times. */
export const reasonWords = (reason: string): string => REASON_WORDS[reason] ?? reason.replaceAll('-', ' ').replaceAll(':', ': ');
