import fc from 'fast-check';
import { DateTime } from 'luxon';
import { quietHoursEnd, QUIET_HOURS_SPREAD_MINUTES } from '../../functions/domain/pacing/quietHours';

const zones = ['Europe/Warsaw', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC', 'Pacific/Chatham', 'America/Sao_Paulo'];
const localMinute = (d: Date, zone: string) => {
  const l = DateTime.fromJSDate(d, { zone });
  return l.hour * 60 + l.minute;
};
const windows = [
  { start: '21:00', end: '08:00' },
  { start: '22:30', end: '06:15' },
  { start: '13:00', end: '15:00' },
];
const inside = (minute: number, w: { start: string; end: string }) => {
  const [s, e] = [w.start, w.end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
  return s! > e! ? minute >= s! || minute < e! : minute >= s! && minute < e!;
};

describe('quiet hours', () => {
  const instant = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });

  it('never lets a send land inside them, never drops it, and defers by less than a day (property, DST zones)', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), fc.constantFrom(...windows), fc.string(), (at, zone, window, key) => {
        const deferred = quietHoursEnd(at, zone, window, key);
        if (!inside(localMinute(at, zone), window)) {
          expect(deferred).toBeNull();
          return;
        }
        expect(deferred).not.toBeNull();
        expect(deferred!.getTime()).toBeGreaterThan(at.getTime());
        expect(deferred!.getTime() - at.getTime()).toBeLessThanOrEqual((24 + 1) * 3600_000 + QUIET_HOURS_SPREAD_MINUTES * 60_000);
        expect(inside(localMinute(deferred!, zone), window)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('moves 23:30 in Warsaw to the next morning at 08:00 plus a stable spread', () => {
    const at = new Date('2026-11-22T22:30:00Z'); // 23:30 CET
    const a = quietHoursEnd(at, 'Europe/Warsaw', windows[0]!, 'job-1')!;
    const b = quietHoursEnd(at, 'Europe/Warsaw', windows[0]!, 'job-1')!;
    expect(a).toEqual(b);
    const local = DateTime.fromJSDate(a, { zone: 'Europe/Warsaw' });
    expect(local.toISODate()).toBe('2026-11-23');
    expect(local.hour).toBe(8);
    expect(local.minute).toBeLessThan(QUIET_HOURS_SPREAD_MINUTES);
  });

  it('ends at local 08:00 across the spring-forward night, not UTC 08:00', () => {
    const at = new Date('2026-03-28T22:00:00Z'); // 23:00 CET, the night clocks jump to CEST
    const end = quietHoursEnd(at, 'Europe/Warsaw', windows[0]!, 'k', 0)!;
    expect(end.toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('leaves daytime sends alone, and treats equal start and end as no quiet hours', () => {
    expect(quietHoursEnd(new Date('2026-11-22T12:00:00Z'), 'Europe/Warsaw', windows[0]!, 'k')).toBeNull();
    expect(quietHoursEnd(new Date('2026-11-22T23:00:00Z'), 'UTC', { start: '00:00', end: '00:00' }, 'k')).toBeNull();
  });
});
