import { BoundedMap } from '../../functions/lib/boundedMap';

describe('BoundedMap', () => {
  it('never holds more than its bound, and gives back what it keeps', () => {
    const kept = new BoundedMap<number, string>(3);
    const sizes: number[] = [];
    for (let n = 0; n < 10; n++) {
      expect(kept.get(n) ?? kept.keep(n, `v${n}`)).toBe(`v${n}`);
      sizes.push(kept.size);
    }
    expect(Math.max(...sizes)).toBe(3);
    expect(kept.get(9)).toBe('v9');
  });
});
