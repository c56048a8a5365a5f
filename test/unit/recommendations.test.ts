import { recommend, type ProductInfo } from '../../functions/domain/rendering/recommendations';

const product = (sku: string, category: string): ProductInfo => ({ sku, name: `Name ${sku}`, price: 10, currency: 'EUR', category });
const products = new Map(
  [
    product('mug', 'kitchen'),
    product('tea', 'kitchen'),
    product('kettle', 'kitchen'),
    product('spoon', 'kitchen'),
    product('lamp', 'home'),
    product('rug', 'home'),
    product('book', 'books'),
  ].map((p) => [p.sku, p]),
);

describe('recommendations', () => {
  it('prefers what was bought together, says why, and never repeats what was bought or is in the cart', () => {
    const together = new Map([
      [
        'mug',
        new Map([
          ['tea', 5],
          ['kettle', 2],
          ['spoon', 1],
        ]),
      ],
    ]);
    const recs = recommend({ bought: ['mug'], viewed: [], inCart: ['kettle'], together, products, bestsellers: ['book', 'lamp'] });
    expect(recs[0]).toMatchObject({ sku: 'tea', reason: { kind: 'bought-together', with: 'Name mug' } });
    expect(recs.map((r) => r.sku)).not.toContain('mug');
    expect(recs.map((r) => r.sku)).not.toContain('kettle');
    expect(recs).toHaveLength(3);
  });

  it('keeps at least two categories among three', () => {
    const together = new Map([
      [
        'mug',
        new Map([
          ['tea', 5],
          ['kettle', 4],
          ['spoon', 3],
        ]),
      ],
    ]);
    const recs = recommend({ bought: ['mug'], viewed: [], inCart: [], together, products, bestsellers: ['lamp'] });
    expect(new Set(recs.map((r) => r.category)).size).toBeGreaterThanOrEqual(2);
    expect(recs[0]!.sku).toBe('tea');
  });

  it('falls back to bestsellers when nothing is known about the customer', () => {
    const recs = recommend({ bought: [], viewed: [], inCart: [], together: new Map(), products, bestsellers: ['book', 'lamp', 'mug'] });
    expect(recs.map((r) => [r.sku, r.reason.kind])).toEqual([
      ['book', 'bestseller'],
      ['lamp', 'bestseller'],
      ['mug', 'bestseller'],
    ]);
  });

  it('uses viewed products as seeds only when given (level full)', () => {
    const together = new Map([['lamp', new Map([['rug', 2]])]]);
    expect(recommend({ bought: [], viewed: ['lamp'], inCart: [], together, products, bestsellers: [] })[0]).toMatchObject({
      sku: 'rug',
      reason: { kind: 'bought-together' },
    });
    expect(recommend({ bought: [], viewed: [], inCart: [], together, products, bestsellers: [] })).toEqual([]);
  });
});
