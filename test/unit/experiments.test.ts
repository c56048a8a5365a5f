import { assign } from '../../functions/domain/journeys/experiments';

const campaign = {
  id: 'exp',
  holdout: 0.1,
  variants: [
    { id: 'a', weight: 3 },
    { id: 'b', weight: 1 },
  ],
};

describe('experiment assignment', () => {
  it('is stable per customer and campaign', () => {
    for (let i = 0; i < 100; i++) expect(assign(`c${i}`, campaign)).toEqual(assign(`c${i}`, campaign));
  });

  it('follows the holdout share and the weights over many customers', () => {
    const counts = { holdout: 0, a: 0, b: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const a = assign(`customer-${i}`, campaign);
      if (a.heldOut) counts.holdout++;
      else counts[a.variant!.id as 'a' | 'b']++;
    }
    expect(counts.holdout / n).toBeCloseTo(0.1, 1);
    expect(Math.abs(counts.holdout / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts.a / n - 0.675)).toBeLessThan(0.015);
    expect(Math.abs(counts.b / n - 0.225)).toBeLessThan(0.015);
  });

  it('assigns independently per campaign', () => {
    const other = { ...campaign, id: 'other' };
    const same = Array.from({ length: 1000 }, (_, i) => `c${i}`).filter(
      (id) => JSON.stringify(assign(id, campaign)) === JSON.stringify(assign(id, other)),
    ).length;
    expect(same).toBeLessThan(700);
  });
});
