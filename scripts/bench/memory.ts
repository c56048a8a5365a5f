import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendMessageOf } from './messages';
import { startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';
import { bundle } from './coldStart';
import { chunksOf } from '../../functions/shared/chunks';

/** Peak RSS of a fresh process running the send handler over one batch of 100 due jobs. */
export interface MemoryResult {
  batch: number;
  rssBeforeMb: number;
  peakRssMb: number;
  failures: number;
}

export async function benchMemory(batch = 100): Promise<MemoryResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const dir = mkdtempSync(join(tmpdir(), 'tactful-mem-'));
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'mem-',
    sweepIntervalMs: 0,
    keyFile: join(dir, 'token.key'),
  });
  try {
    const now = system.clock.now().toISOString();
    const ids = Array.from({ length: batch }, (_, i) => `mem-${i}`);
    const events = ids.flatMap((id, i) => [
      {
        id: `${id}-p`,
        type: 'customer.upserted',
        customerId: id,
        occurredAt: now,
        data: { email: `${id}@example.com`, firstName: `N${i}`, locale: 'en', country: 'PL' },
      },
      {
        id: `${id}-c`,
        type: 'consent.changed',
        customerId: id,
        occurredAt: now,
        data: { topic: 'cart_reminders', status: 'granted', source: 'checkout', policyVersion: '1' },
      },
      {
        id: `${id}-cart`,
        type: 'cart.updated',
        customerId: id,
        occurredAt: now,
        data: {
          cartId: 'c1',
          cartUrl: 'https://shop.example.com/cart',
          items: [{ sku: 'A', name: 'A', price: 1, currency: 'EUR', qty: 1 }],
        },
      },
    ]);
    for (const batch of chunksOf(events, 100)) {
      await fetch(`${system.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
        body: JSON.stringify({ events: batch }),
      });
    }
    const messages = await Promise.all(ids.map(async (id) => sendMessageOf((await system.customers.listJobs(id))[0]!)));
    const messagesFile = join(dir, 'messages.json');
    writeFileSync(messagesFile, JSON.stringify(messages));
    const child = await bundle(join(__dirname, 'memoryChild.ts'), 'memory-child');
    // Asynchronously: the SES stand-in the child sends to runs in this process.
    const out = await run(process.execPath, [child], {
      ...process.env,
      CUSTOMERS_TABLE: system.tables.customers,
      CATALOG_TABLE: system.tables.catalog,
      FROM_ADDRESS: 'shop@example.com',
      PUBLIC_BASE_URL: 'https://example.com',
      QUIET_HOURS: 'off',
      BENCH_DYNAMODB: dynamo.endpoint,
      BENCH_SES: ses.endpoint,
      BENCH_NOW: new Date(Date.parse(now) + 3600_000).toISOString(),
      BENCH_MESSAGES: messagesFile,
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    if (out.status !== 0) throw new Error(`memory child failed: ${out.stderr}`);
    const { rssBeforeBytes, peakRssBytes, failures } = JSON.parse(out.stdout) as {
      rssBeforeBytes: number;
      peakRssBytes: number;
      failures: number;
    };
    return { batch, rssBeforeMb: mb(rssBeforeBytes), peakRssMb: mb(peakRssBytes), failures };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}

export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
