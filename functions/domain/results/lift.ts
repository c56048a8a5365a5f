/**
 * Holdout lift: did the campaign make people buy who would not have anyway? The conversion rate of
 * journeys that got the campaign's first email against journeys held out, their difference with a 95 %
 * confidence interval, and "not enough data" below a documented minimum (docs/results.md).
 *
 * The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10): built from the two
 * Wilson score intervals, it stays inside [-1, 1], behaves at rates near 0 (conversion rates are small)
 * and keeps close to its nominal coverage at small counts, where the textbook Wald interval is too narrow.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/**
 * Below this the numbers are shown but no lift is claimed: at least this many journeys in each group and
 * this many conversions in both groups together. With fewer conversions the interval spans everything
 * from harm to a windfall and the relative lift swings wildly with one order. A group without any
 * conversion is allowed (0 of 1,000 held out against 50 of 1,000 is a clear answer).
 */
export const LIFT_MINIMUM = { journeysPerGroup: 100, conversions: 10 } as const;

export interface Interval {
  lower: number;
  upper: number;
}

/** Wilson score interval for x successes in n trials; [0, 1] when there are no trials. */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval for p1 − p2 (method 10, no continuity correction). */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z_95): Interval & { difference: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    lower: difference - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: difference + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

export interface LiftGroup {
  journeys: number;
  conversions: number;
  conversionRate: number | null;
}

export interface HoldoutLift {
  /** Journeys whose first email was sent. */
  recipients: LiftGroup;
  /** Journeys held out at their first step. */
  holdout: LiftGroup;
  /** True below LIFT_MINIMUM: then difference, interval, relativeLift and significant are null. */
  notEnoughData: boolean;
  minimum: typeof LIFT_MINIMUM;
  /** Recipients' conversion rate minus the holdout's (0.02 = 2 percentage points). */
  difference: number | null;
  /** 95 % interval of the difference (Newcombe hybrid score). */
  interval: Interval | null;
  /** difference / holdout conversion rate (0.25 = a quarter more conversions); null when the holdout's rate is 0. */
  relativeLift: number | null;
  /** The interval excludes 0. */
  significant: boolean | null;
}

const group = (journeys: number, conversions: number): LiftGroup => ({
  journeys,
  conversions,
  conversionRate: journeys > 0 ? conversions / journeys : null,
});

export function holdoutLift(
  recipientsIn: { journeys: number; conversions: number },
  holdoutIn: { journeys: number; conversions: number },
): HoldoutLift {
  // A conversion whose journey was not counted (a crash between the two writes) must not make p > 1.
  const recipients = { journeys: recipientsIn.journeys, conversions: Math.min(recipientsIn.conversions, recipientsIn.journeys) };
  const holdout = { journeys: holdoutIn.journeys, conversions: Math.min(holdoutIn.conversions, holdoutIn.journeys) };
  const base = {
    recipients: group(recipients.journeys, recipients.conversions),
    holdout: group(holdout.journeys, holdout.conversions),
    minimum: LIFT_MINIMUM,
  };
  const enough =
    recipients.journeys >= LIFT_MINIMUM.journeysPerGroup &&
    holdout.journeys >= LIFT_MINIMUM.journeysPerGroup &&
    recipients.conversions + holdout.conversions >= LIFT_MINIMUM.conversions;
  if (!enough) return { ...base, notEnoughData: true, difference: null, interval: null, relativeLift: null, significant: null };
  const { difference, lower, upper } = newcombeInterval(recipients.conversions, recipients.journeys, holdout.conversions, holdout.journeys);
  const holdoutRate = holdout.conversions / holdout.journeys;
  return {
    ...base,
    notEnoughData: false,
    difference,
    interval: { lower, upper },
    relativeLift: holdoutRate > 0 ? difference / holdoutRate : null,
    significant: lower > 0 || upper < 0,
  };
}
