/**
 * Durations as marketers type them in the console's forms ("3 days", "1 hour and 30 minutes", "90 min",
 * "2 weeks") turned into the ISO-8601 codes campaigns store (P3D, PT1H30M); an ISO code is taken as it
 * is. Months and years are refused: their length varies, and so would the campaign's timing.
 */

const UNITS: [RegExp, 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds'][] = [
  [/^(w|wk|wks|week|weeks)$/, 'weeks'],
  [/^(d|day|days)$/, 'days'],
  [/^(h|hr|hrs|hour|hours)$/, 'hours'],
  [/^(m|min|mins|minute|minutes)$/, 'minutes'],
  [/^(s|sec|secs|second|seconds)$/, 'seconds'],
];

const ISO = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export type DurationInput = { iso: string } | { error: string };

export function parseDurationInput(text: string): DurationInput {
  const typed = text.trim();
  if (ISO.test(typed.toUpperCase())) return { iso: typed.toUpperCase() };
  const words = typed
    .toLowerCase()
    .replace(/,|\band\b/g, ' ')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return { error: 'say how long, such as "3 days" or "1 hour"' };
  if (words.length === 1 && /^(now|immediately|at once|0)$/.test(words[0]!)) return { iso: 'PT0S' };
  const total = { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  for (let i = 0; i < words.length; i += 2) {
    const count = words[i]!;
    const unit = words[i + 1];
    const n = count === 'a' || count === 'an' || count === 'one' ? 1 : Number(count);
    if (!Number.isInteger(n) || n < 0) return { error: `"${count}" is not a whole number: write "3 days" or "90 minutes"` };
    if (unit && /^(mo|month|months|y|yr|year|years)$/.test(unit))
      return { error: 'months and years vary in length: say it in days, such as "30 days"' };
    const found = UNITS.find(([pattern]) => unit !== undefined && pattern.test(unit));
    if (!found) return { error: `"${unit ?? count}" is not a unit: use minutes, hours, days or weeks` };
    total[found[1]] += n;
  }
  const days = total.weeks * 7 + total.days;
  const time = [
    [total.hours, 'H'],
    [total.minutes, 'M'],
    [total.seconds, 'S'],
  ]
    .filter(([n]) => n)
    .map(([n, unit]) => `${n}${unit}`)
    .join('');
  if (!days && !time) return { iso: 'PT0S' };
  return { iso: `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}` };
}
