import { holdoutLift, LIFT_MINIMUM, newcombeInterval, wilsonInterval } from '../../functions/domain/results/lift';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

describe('holdout lift', () => {
  it('Wilson score interval: 56 of 70 and 48 of 80 at 95 %', () => {
    const a = wilsonInterval(56, 70);
    const b = wilsonInterval(48, 80);
    expect([round4(a.lower), round4(a.upper)]).toEqual([0.6918, 0.877]);
    expect([round4(b.lower), round4(b.upper)]).toEqual([0.4905, 0.7004]);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  // Newcombe (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Stat Med 17:873–890, Table II, method 10 (score, no continuity correction).
  it.each([
    [56, 70, 48, 80, 0.2, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
    [5, 56, 0, 29, 0.0893, -0.0381, 0.1926],
    [0, 10, 0, 20, 0, -0.1611, 0.2775],
    [10, 10, 0, 20, 1, 0.6791, 1],
    [10, 10, 0, 10, 1, 0.6075, 1],
  ])('Newcombe hybrid score interval for %i/%i − %i/%i matches the published example', (x1, n1, x2, n2, difference, lower, upper) => {
    const interval = newcombeInterval(x1, n1, x2, n2);
    expect([round4(interval.difference), round4(interval.lower), round4(interval.upper)]).toEqual([difference, lower, upper]);
  });

  it('reports difference, interval, relative lift and significance with enough data', () => {
    const lift = holdoutLift({ journeys: 1000, conversions: 60 }, { journeys: 200, conversions: 6 });
    const expected = newcombeInterval(60, 1000, 6, 200);
    expect(lift).toMatchObject({
      recipients: { journeys: 1000, conversions: 60, conversionRate: 0.06 },
      holdout: { journeys: 200, conversions: 6, conversionRate: 0.03 },
      notEnoughData: false,
      difference: expected.difference,
      interval: { lower: expected.lower, upper: expected.upper },
      significant: expected.lower > 0,
    });
    expect(lift.relativeLift).toBeCloseTo(1, 10);
    expect(lift.interval!.lower).toBeLessThan(0.03);
    expect(lift.interval!.upper).toBeGreaterThan(0.03);
  });

  it('a holdout without any conversion is a valid answer, without a relative lift', () => {
    const lift = holdoutLift({ journeys: 1000, conversions: 50 }, { journeys: 1000, conversions: 0 });
    expect(lift.notEnoughData).toBe(false);
    expect(lift.significant).toBe(true);
    expect(lift.relativeLift).toBeNull();
  });

  it('says "not enough data" below the documented minimum, and claims nothing', () => {
    const few = { journeys: LIFT_MINIMUM.journeysPerGroup - 1, conversions: 20 };
    const many = { journeys: 5000, conversions: 200 };
    for (const [recipients, holdout] of [
      [few, many],
      [many, few],
      [
        { journeys: 500, conversions: 5 },
        { journeys: 500, conversions: 4 },
      ],
    ] as const) {
      expect(holdoutLift(recipients, holdout)).toMatchObject({
        notEnoughData: true,
        difference: null,
        interval: null,
        relativeLift: null,
        significant: null,
        minimum: LIFT_MINIMUM,
      });
    }
    expect(holdoutLift({ journeys: 0, conversions: 0 }, { journeys: 0, conversions: 0 }).recipients.conversionRate).toBeNull();
  });
});
