/**
 * Which UTC days a report covers. `since` is `Nd` (the N days ending with `until`: `7d` is today and the
 * six days before) or a date; `until` is a date, today by default. Both ends are included.
 */

/** Counting markers and the delivery log are kept 400 days: a longer report could not be trusted. */
export const MAX_REPORT_DAYS = 400;
export const DEFAULT_SINCE = '30d';

export class InvalidReportRangeError extends Error {
  override name = 'InvalidReportRangeError';
  constructor(
    readonly field: 'since' | 'until',
    message: string,
  ) {
    super(message);
  }
}

export interface ReportRange {
  since: string;
  until: string;
  /** Every day from since to until, oldest first. */
  days: string[];
}

const DAY_MS = 86_400_000;
/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March: only a date that reads back the same is one.
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}
const shift = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function reportRange(input: { since?: string; until?: string }, today: string): ReportRange {
  const until = input.until ?? today;
  if (!isDate(until)) throw new InvalidReportRangeError('until', 'must be a date such as 2026-11-22');
  const since = input.since ?? DEFAULT_SINCE;
  let first: string;
  const relative = /^(\d{1,3})d$/.exec(since);
  if (relative) {
    const n = Number(relative[1]);
    if (n < 1 || n > MAX_REPORT_DAYS) throw new InvalidReportRangeError('since', `must be 1d to ${MAX_REPORT_DAYS}d`);
    first = shift(until, 1 - n);
  } else if (isDate(since)) {
    first = since;
  } else {
    throw new InvalidReportRangeError('since', 'must be a number of days such as 7d, or a date such as 2026-11-01');
  }
  if (first > until) throw new InvalidReportRangeError('since', `is after until (${until})`);
  const count = Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
  if (count > MAX_REPORT_DAYS) throw new InvalidReportRangeError('since', `covers ${count} days; at most ${MAX_REPORT_DAYS}`);
  return { since: first, until, days: Array.from({ length: count }, (_, i) => shift(first, i)) };
}
