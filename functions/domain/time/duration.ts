import { Duration } from 'luxon';

export class InvalidDurationError extends Error {
  override name = 'InvalidDurationError';
  constructor(readonly value: string) {
    super(`"${value}" is not an ISO-8601 duration such as PT1H or P3D`);
  }
}

/** ISO-8601 duration (PT1H, P3D, P1DT2H30M) to milliseconds. Calendar months and years are refused: their length varies. */
export function durationToMillis(iso: string): number {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid || duration.years || duration.months || duration.quarters) throw new InvalidDurationError(iso);
  const ms = duration.as('milliseconds');
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidDurationError(iso);
  return ms;
}

export function isDuration(iso: string): boolean {
  try {
    durationToMillis(iso);
    return true;
  } catch {
    return false;
  }
}

export const addMillis = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
