import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';

/**
 * A bounded load test on loopback: POST /events with batches of 10 events from `connections`
 * concurrent clients for a fixed time, then it stops by itself. Counts events accepted per second,
 * request latency percentiles and errors.
 */
export interface LoadResult {
  seconds: number;
  connections: number;
  eventsPerRequest: number;
  requests: number;
  eventsAcceptedPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  statuses: Record<string, number>;
}

export async function benchLoad(seconds = 10, connections = 16, eventsPerRequest = 10): Promise<LoadResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'load-',
    sweepIntervalMs: 0,
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-load-')), 'token.key'),
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let accepted = 0;
  let errors = 0;
  let sequence = 0;
  try {
    const deadline = Date.now() + seconds * 1000;
    const start = Date.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, client) => {
        while (Date.now() < deadline) {
          const now = system.clock.now().toISOString();
          const events = Array.from({ length: eventsPerRequest }, () => {
            const n = sequence++;
            return {
              id: `load-${n}`,
              type: 'cart.updated',
              customerId: `load-${client}-${n % 500}`,
              occurredAt: now,
              data: {
                cartId: `c${n}`,
                cartUrl: 'https://shop.example.com/cart',
                items: [{ sku: 'A', name: 'A', price: 1, currency: 'EUR', qty: 1 }],
              },
            };
          });
          const t0 = performance.now();
          try {
            const res = await fetch(`${system.url}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
              body: JSON.stringify({ events }),
            });
            const body = (await res.json()) as { accepted?: string[] };
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status === 202) accepted += body.accepted?.length ?? 0;
            else errors++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (Date.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
    return {
      seconds: Math.round(elapsed * 10) / 10,
      connections,
      eventsPerRequest,
      requests: latencies.length,
      eventsAcceptedPerSecond: Math.round(accepted / elapsed),
      latencyMs: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies[latencies.length - 1] ?? 0) },
      errors,
      statuses,
    };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
