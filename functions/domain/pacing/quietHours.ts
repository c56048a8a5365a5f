import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

/**
 * Quiet hours in the recipient's own time zone. A send due inside them is moved to their end, plus a
 * small spread so a shop's whole list does not land at 08:00:00 — never dropped.
 */

export interface QuietHours {
  /** Local "HH:mm" when quiet starts (inclusive) and ends (exclusive). Equal values mean none. */
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };
export const QUIET_HOURS_SPREAD_MINUTES = 20;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const isClockTime = (value: string): boolean => HHMM.test(value);

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not a time of day (HH:mm)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** A stable offset in [0, spread) minutes, so a retry of the same job lands on the same time. */
function spreadMinutes(key: string, spread: number): number {
  if (spread <= 0) return 0;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % spread;
}

/**
 * When a send due at `at` may go out: null if `at` is outside the quiet hours, else their end in the
 * recipient's zone (across DST changes: a local time that does not exist that day moves forward).
 */
export function quietHoursEnd(
  at: Date,
  timeZone: string,
  quiet: QuietHours,
  spreadKey: string,
  spread = QUIET_HOURS_SPREAD_MINUTES,
): Date | null {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  const minute = local.hour * 60 + local.minute;
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return null;
  const endDay = crossesMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  const endsAt = endDay.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  return endsAt.plus({ minutes: spreadMinutes(spreadKey, spread) }).toJSDate();
}
