import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { ProductStore } from '../../functions/adapters/dynamo/productStore';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/services';
import { startTestSystem, type TestSystem } from './support/harness';

/** Bestsellers and product facts are read once per container and kept, not read for every recommendation email. */
describe('product facts cached per container', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const store = (ttlMs: number) =>
    new ProductStore(
      createDocumentClient({ endpoint: app.system.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      app.system.tables.customers,
      ttlMs,
    );
  const mug = (price: number) => ({ sku: 'MUG', name: 'Mug', price, currency: 'EUR' });

  it('answers from memory within the time to live, and reads again without one', async () => {
    const writer = store(0);
    await writer.recordOrder([mug(10)]);
    const cached = store(60_000);
    const fresh = store(0);
    expect(await cached.bestsellers()).toEqual(['MUG']);
    expect((await cached.products(['MUG', 'NONE'])).get('MUG')?.price).toBe(10);

    await writer.recordOrder([
      { ...mug(12), sku: 'CUP', name: 'Cup' },
      { ...mug(12), sku: 'CUP', name: 'Cup' },
    ]);
    await writer.recordProduct(mug(12));
    expect(await cached.bestsellers()).toEqual(['MUG']);
    expect((await cached.products(['MUG'])).get('MUG')?.price).toBe(10);
    expect(await fresh.bestsellers()).toEqual(['CUP', 'MUG']);
    expect((await fresh.products(['MUG'])).get('MUG')?.price).toBe(12);
    // A sku not found is not remembered as missing: it is read again next time.
    await writer.recordProduct({ ...mug(5), sku: 'NONE', name: 'Late' });
    expect((await cached.products(['NONE'])).get('NONE')?.name).toBe('Late');
  });
});
