import { chunksOf } from '../../functions/shared/chunks';

describe('chunksOf', () => {
  it('keeps every item, in order, in runs of at most the size', () => {
    const items = Array.from({ length: 51 }, (_, i) => i);
    const chunks = chunksOf(items, 25);
    expect(chunks.map((c) => c.length)).toEqual([25, 25, 1]);
    expect(chunks.flat()).toEqual(items);
    expect(chunksOf([], 10)).toEqual([]);
  });
});
