import { parseDurationInput } from '../../functions/domain/wording/durationInput';
import { durationInWords } from '../../functions/domain/wording/time';
import { durationToMillis } from '../../functions/domain/time/duration';

describe('durations typed in words', () => {
  it.each([
    ['3 days', 'P3D'],
    ['1 hour', 'PT1H'],
    ['1 hour and 30 minutes', 'PT1H30M'],
    ['90 min', 'PT90M'],
    ['2 weeks', 'P14D'],
    ['1 day, 2 hours', 'P1DT2H'],
    ['2h', 'PT2H'],
    ['an hour', 'PT1H'],
    ['now', 'PT0S'],
    ['PT72H', 'PT72H'],
    ['p5d', 'P5D'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(parseDurationInput(text)).toEqual({ iso });
    expect(() => durationToMillis(iso)).not.toThrow();
  });

  it('refuses months and years, words that are no unit, and nothing at all, saying what to write instead', () => {
    expect(parseDurationInput('1 month')).toEqual({ error: expect.stringContaining('say it in days') });
    expect(parseDurationInput('3 fortnights')).toEqual({ error: expect.stringContaining('"fortnights" is not a unit') });
    expect(parseDurationInput('soon')).toEqual({ error: expect.stringContaining('not a whole number') });
    expect(parseDurationInput(' ')).toEqual({ error: expect.stringContaining('say how long') });
  });

  it('reads back what the console shows for a duration', () => {
    for (const iso of ['PT1H', 'P3D', 'PT1H30M', 'P1DT2H']) expect(parseDurationInput(durationInWords(iso))).toEqual({ iso });
  });
});
