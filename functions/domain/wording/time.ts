import { Duration } from 'luxon';

/**
 * Durations and instants as people read them in the console ("3 days", "3 Dec at 10:14 Europe/Warsaw"):
 * the ISO codes stay in the API and the files.
 */

/** An ISO-8601 duration in words: "1 hour", "3 days", "1 day and 2 hours"; the code itself when it is not one. */
export function durationInWords(iso: string): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return iso;
  const parts = Object.entries(duration.toObject()).filter(([, n]) => n) as [string, number][];
  if (parts.length === 0) return 'no time';
  return Duration.fromObject(Object.fromEntries(parts)).toHuman({ listStyle: 'long', unitDisplay: 'long' });
}

/** Milliseconds in the largest whole units, at most two: "90 minutes" reads "1 hour and 30 minutes". */
export function millisInWords(ms: number): string {
  const units: [string, number][] = [
    ['days', 86_400_000],
    ['hours', 3_600_000],
    ['minutes', 60_000],
    ['seconds', 1000],
  ];
  const parts: Record<string, number> = {};
  let rest = Math.max(0, Math.round(ms));
  for (const [unit, size] of units) {
    if (Object.keys(parts).length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0 || (Object.keys(parts).length > 0 && rest > 0)) {
      if (n > 0) parts[unit] = n;
      rest -= n * size;
    }
  }
  if (Object.keys(parts).length === 0) return 'less than a second';
  return Duration.fromObject(parts).toHuman({ listStyle: 'long', unitDisplay: 'long' });
}

/**
 * An instant in a zone, with the zone named: "3 Dec at 10:14 Europe/Warsaw"; the year only when it is not
 * the year of `now`, so this month's log reads short and last year's is not mistaken for it.
 */
export function timeInZone(iso: string, zone: string, now?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameYear = now !== undefined && yearIn(now, zone) === yearIn(iso, zone);
  const day = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: zone,
  });
  const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  return `${day.format(at)} at ${clock.format(at)} ${zone}`;
}

/** Only the clock time in a zone: "07:00 Europe/Warsaw", for "until …" on the same day. */
export function clockInZone(iso: string, zone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(at)} ${zone}`;
}

/** "until 07:00 Europe/Warsaw" on the same local day as `from`, else with the day. */
export function untilInZone(until: string, from: string, zone: string): string {
  const day = (iso: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(iso));
  return day(until) === day(from) ? clockInZone(until, zone) : timeInZone(until, zone, from);
}

function yearIn(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format(new Date(iso));
}
