import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';

/**
 * Ingest through the Segment-compatible `/v1/batch` against `POST /events`, with the same events
 * (carts of two items, 100 a request), in the same run: the two take turns, round by round, so host
 * load slows both alike. Locally a request is answered once its events are applied, so this measures
 * the whole ingest: verify, map, validate, publish, apply.
 */
export interface IngestBenchResult {
  eventsPerRequest: number;
  rounds: number;
  requestsPerRound: number;
  concurrency: number;
  events: { eventsPerSecond: number; events: number };
  segmentBatch: { eventsPerSecond: number; events: number };
  /** /v1/batch events per second ÷ POST /events events per second (target ≥ 0.8). */
  ratio: number;
}

export async function benchIngest({
  rounds = 6,
  requestsPerRound = 12,
  concurrency = 4,
  eventsPerRequest = 100,
} = {}): Promise<IngestBenchResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'ingest-',
    sweepIntervalMs: 0,
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-ingest-')), 'token.key'),
  });
  const writeKey = Buffer.from(`${system.integrationEnv.SEGMENT_WRITE_KEY}:`).toString('base64');
  let sequence = 0;
  const items = [
    { sku: 'MUG-1', name: 'Mug', price: 12.5, qty: 2 },
    { sku: 'TEA-9', name: 'Tea', price: 7, qty: 1 },
  ];
  /** One request's worth of the same logical events, in either shape. */
  const request = (shape: 'events' | 'segment'): { path: string; headers: Record<string, string>; body: string } => {
    const now = system.clock.now().toISOString();
    const events = Array.from({ length: eventsPerRequest }, () => {
      const n = sequence++;
      return { n, customerId: `bench-${n % 2000}`, cartId: `c${n}` };
    });
    if (shape === 'events') {
      return {
        path: '/events',
        headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
        body: JSON.stringify({
          events: events.map((e) => ({
            id: `evt-${e.n}`,
            type: 'cart.updated',
            customerId: e.customerId,
            occurredAt: now,
            data: {
              cartId: e.cartId,
              cartUrl: `https://shop.example.com/cart?id=${e.cartId}`,
              items: items.map((i) => ({ ...i, currency: 'EUR' })),
            },
          })),
        }),
      };
    }
    return {
      path: '/v1/batch',
      headers: { 'content-type': 'application/json', authorization: `Basic ${writeKey}` },
      body: JSON.stringify({
        batch: events.map((e) => ({
          type: 'track',
          event: 'Cart Viewed',
          messageId: `msg-${e.n}`,
          userId: e.customerId,
          timestamp: now,
          properties: {
            cart_id: e.cartId,
            currency: 'EUR',
            products: items.map((i) => ({ product_id: i.sku, sku: i.sku, name: i.name, price: i.price, quantity: i.qty })),
          },
        })),
      }),
    };
  };
  const totals = { events: { events: 0, ms: 0 }, segment: { events: 0, ms: 0 } };
  const turn = async (shape: 'events' | 'segment'): Promise<void> => {
    const bodies = Array.from({ length: requestsPerRound }, () => request(shape));
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const r = bodies[next++]!;
          const res = await fetch(`${system.url}${r.path}`, { method: 'POST', headers: r.headers, body: r.body });
          const answer = (await res.json()) as { accepted?: unknown };
          const accepted = Array.isArray(answer.accepted)
            ? answer.accepted.length
            : typeof answer.accepted === 'number'
              ? answer.accepted
              : 0;
          if (res.status >= 300 || accepted !== eventsPerRequest)
            throw new Error(`${r.path} answered ${res.status} with ${accepted} of ${eventsPerRequest} accepted`);
          totals[shape].events += accepted;
        }
      }),
    );
    totals[shape].ms += performance.now() - t0;
  };
  try {
    // A warm-up turn of each, not counted: the first requests pay for connections and JIT.
    await turn('events');
    await turn('segment');
    totals.events = { events: 0, ms: 0 };
    totals.segment = { events: 0, ms: 0 };
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always follows the other's leftover work.
      if (round % 2 === 0) {
        await turn('events');
        await turn('segment');
      } else {
        await turn('segment');
        await turn('events');
      }
    }
    const perSecond = (t: { events: number; ms: number }) => Math.round((t.events / t.ms) * 1000);
    const events = perSecond(totals.events);
    const segment = perSecond(totals.segment);
    return {
      eventsPerRequest,
      rounds,
      requestsPerRound,
      concurrency,
      events: { eventsPerSecond: events, events: totals.events.events },
      segmentBatch: { eventsPerSecond: segment, events: totals.segment.events },
      ratio: Math.round((segment / events) * 100) / 100,
    };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
