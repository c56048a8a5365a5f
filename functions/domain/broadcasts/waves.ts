import { DateTime } from 'luxon';

/**
 * When a broadcast reaches whom (docs/broadcasts.md). Zod-free: the fan-out worker reads these.
 *
 * A fixed-time broadcast has one wave, at its instant. A local-time one (`{localTime, date}`) reaches
 * each recipient at that time on that date in their own zone: it goes out in waves, the first when the
 * earliest zone on Earth (UTC+14) reaches the time, each later one when the next zone found among the
 * audience does. A wave takes the recipients whose moment has come since the wave before it: a zone
 * whose time had passed when the broadcast was created is in the first wave, sent at once.
 */
export type SendAt = string | { localTime: string; date: string };

/** The zone that reaches a local time first. */
export const EARLIEST_ZONE = 'UTC+14';

export const isLocalTime = (sendAt: SendAt): sendAt is { localTime: string; date: string } => typeof sendAt !== 'string';

/** The instant a recipient living in `zone` is due (a local time that does not exist that day moves forward). */
export function recipientInstant(sendAt: SendAt, zone: string): string {
  if (!isLocalTime(sendAt)) return new Date(sendAt).toISOString();
  return DateTime.fromISO(`${sendAt.date}T${sendAt.localTime}`, { zone }).toUTC().toISO()!;
}

/** When the first wave starts. */
export const firstWaveAt = (sendAt: SendAt): string => recipientInstant(sendAt, EARLIEST_ZONE);

/**
 * Whether a recipient due at `instant` is for the wave starting at `waveAt` (after the wave at
 * `previousWaveAt`), was for an earlier wave, or waits for a later one.
 */
export function waveOf(instant: string, waveAt: string, previousWaveAt: string | undefined): 'now' | 'earlier' | 'later' {
  if (instant > waveAt) return 'later';
  return previousWaveAt !== undefined && instant <= previousWaveAt ? 'earlier' : 'now';
}
