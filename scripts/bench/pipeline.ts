import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Mailer } from '../../functions/adapters/ses/mailer';
import { withoutSdkLogger } from '../../functions/adapters/sdkLogger';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';
import { carts, consentedCustomers, postInBatches } from './shopEvents';
import { percentile, processCpuSeconds, RequestCounter, round } from './measure';

/**
 * The whole local stack under load: N customers with consent, N cart events over HTTP, then one
 * clock advance that makes every reminder due. Requests are counted by SDK middleware; DynamoDB
 * Local's raw conditional-write rate is measured in the same run, so the pipeline reads as a share.
 */

/** Send workers in flight at once; the raw conditional-write rate is measured with as many writers. */
export const SEND_WORKERS = 16;

export interface PipelineResult {
  customers: number;
  /** Send-queue workers (each a batch of 10 records) and raw writers in flight at once. */
  concurrency: number;
  ingest: { eventsPerSecond: number; requestsPerEvent: number };
  sending: {
    emails: number;
    emailsPerSecond: number;
    dynamoRequestsPerEmail: number;
    dynamoRequestsPerEmailByOperation: Record<string, number>;
    /** As DynamoDB Local reports it: 2 units per transaction whatever its items, so batched claims and records undercount. */
    consumedCapacityPerEmail: number | null;
    sesCallsPerEmail: number;
    /** CPU time per email while sending: this process (handlers, SDK, SES stand-in) and DynamoDB Local's Java. */
    cpuMsPerEmail: { node: number; dynamoLocal: number | null };
    latencyMs: { p50: number; p90: number; p99: number; max: number };
  };
  dynamoLocalConditionalWritesPerSecond: number;
  shareOfRawConditionalWriteRate: number;
}

/**
 * Single conditional PutItems, `concurrency` writers at once. A first pass (not counted) warms DynamoDB
 * Local's JIT for this request, as the pipeline's own run is warmed by the ingest before it: measured
 * cold, the raw rate reads up to a third lower and would flatter the share.
 */
async function rawConditionalWriteRate(endpoint: string, concurrency: number, count: number): Promise<number> {
  // Without the SDK's logger middleware, as the stores' client: the yardstick pays no cost the pipeline does not.
  const client = withoutSdkLogger(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const table = `raw-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const pass = async (prefix: string, n: number): Promise<number> => {
    let next = 0;
    const start = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          await client.send(
            new PutItemCommand({
              TableName: table,
              Item: { pk: { S: `${prefix}${i}` }, v: { N: '1' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        }
      }),
    );
    return n / ((Date.now() - start) / 1000);
  };
  await pass('warm', Math.min(2000, count));
  const rate = await pass('k', count);
  client.destroy();
  return rate;
}

export async function benchPipeline(customers: number): Promise<PipelineResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const counter = new RequestCounter();
  let sesCalls = 0;
  const countingMailer = (inner: Mailer): Mailer => ({ send: (email) => (sesCalls++, inner.send(email)) });
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'bench-',
    sweepIntervalMs: 0,
    seedDemo: false,
    quietHours: { start: '00:00', end: '00:00' },
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-bench-')), 'token.key'),
    wrapMailer: countingMailer,
    sendQueue: { concurrency: SEND_WORKERS, batchSize: 10 },
    onDocumentClient: (client) => counter.attach(client),
  });
  const inBatches = (events: readonly unknown[]) => postInBatches(system, events);

  try {
    const now = system.clock.now().toISOString();
    const ids = Array.from({ length: customers }, (_, i) => `bench-${i}`);
    await inBatches(consentedCustomers(ids, now));

    counter.reset();
    const cartAt = system.clock.now().toISOString();
    const ingestStart = Date.now();
    await inBatches(carts(ids, cartAt));
    const ingestSeconds = (Date.now() - ingestStart) / 1000;
    const ingestRequests = counter.total;

    counter.reset();
    sesCalls = 0;
    system.clock.advance(3600_000);
    const sendStart = Date.now();
    const dueAt = Date.parse(system.clock.now().toISOString());
    const nodeCpuBefore = process.cpuUsage();
    const javaCpuBefore = processCpuSeconds(dynamo.process.pid);
    await system.runDueWork();
    const sendSeconds = (Date.now() - sendStart) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const javaCpuAfter = processCpuSeconds(dynamo.process.pid);
    const requests = counter.total;
    const byOperation = new Map(counter.byOperation);
    const capacity = counter.capacity;

    // Latency on the application clock, from the moment the reminders became due to their send record.
    const latencies: number[] = [];
    for (let i = 0; i < ids.length; i += Math.max(1, Math.floor(ids.length / 2000))) {
      const log = await system.customers.listLog(ids[i]!);
      const sent = log.find((e) => e.outcome === 'sent');
      if (sent) latencies.push(Date.parse(sent.at) - dueAt);
    }
    latencies.sort((a, b) => a - b);
    const emails = sesCalls;
    const raw = await rawConditionalWriteRate(dynamo.endpoint, SEND_WORKERS, Math.min(20000, customers * 2));
    const emailsPerSecond = emails / sendSeconds;
    return {
      customers,
      concurrency: SEND_WORKERS,
      ingest: { eventsPerSecond: Math.round(customers / ingestSeconds), requestsPerEvent: round(ingestRequests / customers) },
      sending: {
        emails,
        emailsPerSecond: Math.round(emailsPerSecond),
        dynamoRequestsPerEmail: round(requests / emails),
        dynamoRequestsPerEmailByOperation: Object.fromEntries([...byOperation.entries()].map(([op, n]) => [op, round(n / emails)])),
        consumedCapacityPerEmail: counter.capacityReported ? round(capacity / emails) : null,
        sesCallsPerEmail: round(sesCalls / emails),
        cpuMsPerEmail: {
          node: round((nodeCpu.user + nodeCpu.system) / 1000 / emails),
          dynamoLocal:
            javaCpuBefore !== undefined && javaCpuAfter !== undefined ? round(((javaCpuAfter - javaCpuBefore) * 1000) / emails) : null,
        },
        latencyMs: {
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          max: latencies[latencies.length - 1] ?? 0,
        },
      },
      dynamoLocalConditionalWritesPerSecond: Math.round(raw),
      shareOfRawConditionalWriteRate: round(emailsPerSecond / raw),
    };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
