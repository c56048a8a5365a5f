import type { SendOutcome } from '../usecases/sending';

/**
 * What one run of due work did (a sweep and the sends it caused), as `POST /dev/clock` answers it and
 * `npm start` prints it: a newcomer whose first email is held by quiet hours is told so, not shown 0.
 * `deferred` groups the held jobs by reason and time; `skipped` and `failed` count by reason.
 */
export interface DueWorkReport {
  now: string;
  dispatched: number;
  sent: number;
  /** `until` is absent for steps held by a paused campaign: they wait for resume, not for a time. */
  deferred: { reason: string; until?: string; count: number }[];
  skipped: Record<string, number>;
  failed: Record<string, number>;
}

export class DueWorkTally {
  private sent = 0;
  private readonly deferred = new Map<string, { reason: string; until?: string; count: number }>();
  private readonly skipped: Record<string, number> = {};
  private readonly failed: Record<string, number> = {};

  add(outcome: SendOutcome): void {
    switch (outcome.outcome) {
      case 'sent':
        this.sent++;
        break;
      case 'deferred': {
        const key = `${outcome.reason}|${outcome.until ?? ''}`;
        const held = this.deferred.get(key) ?? { reason: outcome.reason, ...(outcome.until ? { until: outcome.until } : {}), count: 0 };
        held.count++;
        this.deferred.set(key, held);
        break;
      }
      case 'skipped':
        bump(this.skipped, outcome.reason ?? outcome.detail);
        break;
      case 'failed':
        bump(this.failed, outcome.detail);
        break;
      default:
        // `ignored`: a redelivery or a job that moved on, nothing happened to a customer.
        break;
    }
  }

  report(now: string, dispatched: number): DueWorkReport {
    const deferred = [...this.deferred.values()].sort((a, b) => (a.until ?? '\uffff').localeCompare(b.until ?? '\uffff'));
    return { now, dispatched, sent: this.sent, deferred, skipped: { ...this.skipped }, failed: { ...this.failed } };
  }
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Whether a run did something a person watching would want to hear of. */
export const somethingHappened = (r: DueWorkReport): boolean =>
  r.sent > 0 || r.deferred.length > 0 || Object.keys(r.skipped).length > 0 || Object.keys(r.failed).length > 0;

/** Reasons as a person reads them; the codes stay in the JSON answer. */
const REASON_WORDS: Record<string, string> = {
  'quiet-hours-deferred': 'quiet hours',
  capped: 'the frequency cap',
  paused: 'the campaign is paused',
  cancelled: 'the journey was cancelled',
  'no-consent': 'no consent for the topic',
  suppressed: 'the address is suppressed',
  level: 'the personalization level does not allow it',
  'missing-data': 'data the template needs is missing',
  'held-out': 'held out for the lift measurement',
  duplicate: 'a duplicate',
  'render-budget': 'the template went over its render budget',
  'unknown-outcome': 'the outcome of an interrupted send is unknown',
  'step-removed': 'the campaign no longer has that step',
  'template-removed': "the step's template is not published",
  'quiet-hours': 'inside quiet hours, and the broadcast skips them',
  'not-in-segment': 'no longer in the segment the campaign is for',
};
const words = (reason: string): string => REASON_WORDS[reason] ?? reason.replaceAll('-', ' ');
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One line for `npm start`'s console, times in the shop's zone: "sent 1 email; held 1 until 08:00 (quiet hours)". */
export function describeDueWork(report: DueWorkReport, timeZone: string): string {
  const time = (iso: string, withDate: boolean) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      ...(withDate ? { day: 'numeric', month: 'short' } : {}),
    }).format(new Date(iso));
  const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
  const parts = [`sent ${plural(report.sent, 'email', 'emails')}`];
  for (const held of report.deferred) {
    const until = held.until ? `until ${time(held.until, day(held.until) !== day(report.now))}` : 'until the campaign resumes';
    parts.push(`held ${held.count} ${until} (${words(held.reason)})`);
  }
  for (const [reason, n] of Object.entries(report.skipped)) parts.push(`skipped ${n} (${words(reason)})`);
  for (const [reason, n] of Object.entries(report.failed)) parts.push(`failed ${n} (${words(reason)})`);
  return `${time(report.now, true)} ${timeZone}: ${parts.join('; ')}`;
}
