import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';
import { bundle } from './coldStart';
import { run } from './memory';
import { sendMessageOf } from './messages';
import { carts, consentedCustomers, postInBatches } from './shopEvents';

/**
 * The renderer's share of the send path's CPU per email: a fresh process runs the send function's
 * handler, bundled as the stack bundles it, over due cart reminders in SQS batches of 10 (the send
 * queue's batch size), one batch at a time as one container takes them, against DynamoDB Local and the
 * SES stand-in (other processes). It counts its own CPU over the batches after a warm-up, and, within
 * that, the CPU of each template render (CompiledTemplate.render, timed inside the process). In the
 * send process a render costs several times what the render loop measures (render.ts), where one
 * template runs warm, back to back: there the SDK's work between renders leaves it cold.
 */
export interface SendShareResult {
  emails: number;
  /** The handler process's CPU per email: gate, reads, claims, render, SES call, records (the SDK's work included). */
  sendCpuUsPerEmail: number;
  renderCpuUsPerEmail: number;
  /** renderCpuUsPerEmail / sendCpuUsPerEmail. */
  renderShare: number;
  failures: number;
}

export async function benchSendShare(customers = 400, warmupBatches = 20): Promise<SendShareResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const dir = mkdtempSync(join(tmpdir(), 'tactful-share-'));
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'share-',
    sweepIntervalMs: 0,
    keyFile: join(dir, 'token.key'),
  });
  try {
    const now = system.clock.now().toISOString();
    const ids = Array.from({ length: customers }, (_, i) => `share-${i}`);
    await postInBatches(system, [...consentedCustomers(ids, now), ...carts(ids, now)]);
    const messages = await Promise.all(ids.map(async (id) => sendMessageOf((await system.customers.listJobs(id))[0]!)));
    const messagesFile = join(dir, 'messages.json');
    writeFileSync(messagesFile, JSON.stringify(messages));
    const child = await bundle(join(__dirname, 'sendShareChild.ts'), 'send-share-child');
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
      BENCH_WARMUP_BATCHES: String(warmupBatches),
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    if (out.status !== 0) throw new Error(`send share child failed: ${out.stderr}`);
    const { emails, cpuUs, renderUs, failures } = JSON.parse(out.stdout) as {
      emails: number;
      cpuUs: number;
      renderUs: number;
      failures: number;
    };
    const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;
    return {
      emails,
      sendCpuUsPerEmail: round(cpuUs / emails),
      renderCpuUsPerEmail: round(renderUs / emails),
      renderShare: round(renderUs / cpuUs, 4),
      failures,
    };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
