import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AudienceReader } from '../../functions/adapters/dynamo/audienceReader';
import { previewSegment } from '../../functions/usecases/segments';
import { consentGranted, customerUpserted, eventId, newCustomer, orderPlaced, startTestSystem, type TestSystem } from './support/harness';

/** Segment preview over the real customers table: a parallel scan, pages cut mid-customer, live facts. */
describe('segment preview', () => {
  let app: TestSystem;
  let doc: DynamoDBDocumentClient;
  beforeAll(async () => {
    app = await startTestSystem({ onDocumentClient: (client) => (doc = client) });
  });
  afterAll(() => app.stop());

  it('counts the customers who match now and says which conditions held, whatever the page size', async () => {
    const now = await app.now();
    const gold = Array.from({ length: 5 }, () => newCustomer());
    const silver = Array.from({ length: 3 }, () => newCustomer());
    const tier = (c: { id: string }, t: string) => ({
      id: eventId('lp'),
      type: 'loyalty.points_changed',
      customerId: c.id,
      occurredAt: now,
      data: { points: t === 'gold' ? 1200 : 300, tier: t },
    });
    await app.postEvents([
      ...gold.flatMap((c) => [customerUpserted(c, now), consentGranted(c, now, 'loyalty'), tier(c, 'gold')]),
      ...silver.flatMap((c) => [customerUpserted(c, now), consentGranted(c, now, 'loyalty'), tier(c, 'silver')]),
      // One gold member bought recently: "no order in 90 days" leaves them out.
      orderPlaced(gold[0]!, now),
    ]);
    const segment = {
      match: 'all' as const,
      conditions: [
        { fact: 'loyalty.tier', op: 'in' as const, value: ['gold', 'platinum'] },
        { fact: 'consent.loyalty', op: 'eq' as const, value: 'granted' },
        { fact: 'orders.lastAt', op: 'notWithin' as const, value: 'P90D' },
      ],
    };
    for (const pageSize of [2, 1000]) {
      const preview = await previewSegment(segment, {
        audience: new AudienceReader(doc, app.system.tables.customers, pageSize),
        clock: app.system.clock,
        timeZone: 'Europe/Warsaw',
        scanSegments: 3,
      });
      // Other tests' customers live in other tables: only these eight are here, four of them match.
      expect(preview.count).toBe(4);
      expect(preview.sample.map((s) => s.customerId).sort()).toEqual(
        gold
          .slice(1)
          .map((c) => c.id)
          .sort(),
      );
      expect(preview.sample[0]!.matched.map((m) => m.text)).toEqual([
        'loyalty tier is gold or platinum',
        'consent to loyalty is granted',
        'last order not in the last 90 days (or never)',
      ]);
    }
  });
});
