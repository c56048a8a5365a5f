import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { DEFAULT_SCAN_SEGMENTS, type FanOutDeps } from '../../functions/usecases/broadcasts/fanOut';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';
import { ENV } from '../../functions/shared/envNames';
import { admin, BENCH_SEGMENT, scheduleOffer, seedMembers, WARM_UP_SEGMENT } from './broadcastShop';
import { loadAverage, percentile, processCpuSeconds, RequestCounter, round } from './measure';
import { SEND_WORKERS } from './pipeline';
import { benchScanRates, type ScanRates } from './scanRates';

/**
 * A broadcast through the real code path (docs/broadcasts.md): N gold members seeded, the segment saved and
 * the loyalty offer scheduled through the admin API, then one clock advance: the sweep opens the wave, the
 * broadcast workers read their scan segments, evaluate the segment, make the jobs and hand them to the send
 * queue (16 workers, batches of 10, as the pipeline part's), which gates, renders, claims, sends and records.
 * In the same run, before the broadcast, the audience evaluation against DynamoDB Local's own parallel scan
 * of the same table (scanRates.ts).
 */

const PAGE_SIZE = 1000;

export interface BroadcastResult {
  profiles: number;
  /** Silver members the untimed warm-up broadcast went to first; the timed wave reads them and leaves them out. */
  warmUpRecipients: number;
  seedSeconds: number;
  scan: ScanRates;
  sending: {
    recipients: number;
    sent: number;
    seconds: number;
    recipientsPerSecond: number;
    /** From the clock advance until the wave's last part had made and handed over every job. */
    fanOutSeconds: number;
    firstEmailAfterSeconds: number;
    /** Wall time from the clock advance to each email's SES call. */
    emailAtSeconds: { p50: number; p90: number; max: number };
    dynamoRequestsPerRecipient: number;
    dynamoRequestsPerRecipientByOperation: Record<string, number>;
    sesCallsPerRecipient: number;
    cpuMsPerRecipient: { node: number; dynamoLocal: number | null };
  };
  sendWorkers: number;
  scanSegments: number;
  loadAverage: { start: number; end: number };
}

export async function benchBroadcast(profiles: number): Promise<BroadcastResult> {
  const loadAtStart = loadAverage();
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const counter = new RequestCounter();
  const emailAt: number[] = [];
  let fanOutDoneAt = 0;
  let counting = false;
  let warmUpEmails = 0;
  const emailsBefore = () => warmUpEmails;
  const warmUp = Math.min(1000, profiles);
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'bcast-',
    sweepIntervalMs: 0,
    seedDemo: false,
    quietHours: { start: '00:00', end: '00:00' },
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-bcast-')), 'token.key'),
    wrapMailer: (inner) => ({ send: (email) => (counting ? emailAt.push(Date.now()) : warmUpEmails++, inner.send(email)) }),
    sendQueue: { concurrency: SEND_WORKERS, batchSize: 10 },
    audiencePageSize: PAGE_SIZE,
    onDocumentClient: (client) => counter.attach(client),
    // When the wave's last part finished: the audience read, evaluated, made jobs and handed to the send queue.
    wrapFanOut: (deps) => ({
      ...deps,
      // The store with one method seen (its others reached through the prototype: it is a class instance).
      broadcasts: Object.assign(Object.create(deps.broadcasts) as FanOutDeps['broadcasts'], {
        finishPart: async (...args: Parameters<FanOutDeps['broadcasts']['finishPart']>) => {
          const answer = await deps.broadcasts.finishPart(...args);
          fanOutDoneAt = Math.max(fanOutDoneAt, Date.now());
          return answer;
        },
      }),
    }),
  });
  const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const seedStart = Date.now();
    const { gold: ids, silver } = await seedMembers(system, doc, profiles, warmUp);
    const seedSeconds = (Date.now() - seedStart) / 1000;
    // A broadcast to the silver members first, not timed: DynamoDB Local's JVM compiles the requests a broadcast
    // makes (the pipeline part's is warm from its ingest). Measured cold, 2,000 recipients cost 9.5 ms of its CPU
    // each; warm, about 5.
    await scheduleOffer(system, 'bench-warm-up', WARM_UP_SEGMENT);
    await system.runDueWork(60_000);
    if (emailsBefore() !== silver.length) throw new Error(`the warm-up broadcast sent ${emailsBefore()} of ${silver.length}`);

    const id = 'bench-offer';
    await scheduleOffer(system, id);
    const record = await system.broadcasts.get(id);
    if (!record) throw new Error('the broadcast was not stored');
    const b = record.definition;
    // As the local system's fan-out reads them (BROADCAST_SCAN_SEGMENTS, else the default).
    const scanSegments = Number(process.env[ENV.broadcastScanSegments] ?? DEFAULT_SCAN_SEGMENTS);
    const scan = await benchScanRates(
      dynamo.endpoint,
      system.tables.customers,
      {
        broadcast: { id, topic: b.topic, template: b.template, priority: b.priority, sendAt: b.sendAt },
        segment: { match: BENCH_SEGMENT.match, conditions: [...BENCH_SEGMENT.conditions] },
        waveAt: new Date(String(b.sendAt)).toISOString(),
        shopZone: 'Europe/Warsaw',
      },
      { segments: scanSegments, pageSize: PAGE_SIZE },
    );

    counter.reset();
    counting = true;
    const nodeCpuBefore = process.cpuUsage();
    const javaCpuBefore = processCpuSeconds(dynamo.process.pid);
    const start = Date.now();
    await system.runDueWork(60_000);
    const seconds = (Date.now() - start) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const javaCpuAfter = processCpuSeconds(dynamo.process.pid);
    counting = false;
    const requests = counter.total;
    const byOperation = new Map(counter.byOperation);

    const status = (await admin(system, 'GET', `/admin/api/broadcasts/${id}`, undefined, 200)) as {
      state: string;
      audience: number;
      sent: number;
      skipped: number;
      skippedBy: Record<string, number>;
    };
    // Exactly one email per member, or the figures mean nothing.
    if (status.state !== 'done' || status.audience !== ids.length || status.sent !== ids.length || emailAt.length !== ids.length)
      throw new Error(`the broadcast did not reach everyone once: ${JSON.stringify(status)}, ${emailAt.length} SES calls`);
    const recipients = status.audience;
    const after = emailAt.map((t) => (t - start) / 1000).sort((a, b) => a - b);
    return {
      profiles: ids.length,
      warmUpRecipients: silver.length,
      seedSeconds: round(seedSeconds),
      scan,
      sending: {
        recipients,
        sent: status.sent,
        seconds: round(seconds),
        recipientsPerSecond: Math.round(status.sent / seconds),
        fanOutSeconds: round((fanOutDoneAt - start) / 1000),
        firstEmailAfterSeconds: round(after[0] ?? 0),
        emailAtSeconds: { p50: round(percentile(after, 50)), p90: round(percentile(after, 90)), max: round(after[after.length - 1] ?? 0) },
        dynamoRequestsPerRecipient: round(requests / recipients),
        dynamoRequestsPerRecipientByOperation: Object.fromEntries([...byOperation.entries()].map(([op, n]) => [op, round(n / recipients)])),
        sesCallsPerRecipient: round(emailAt.length / recipients),
        cpuMsPerRecipient: {
          node: round((nodeCpu.user + nodeCpu.system) / 1000 / recipients),
          dynamoLocal:
            javaCpuBefore !== undefined && javaCpuAfter !== undefined ? round(((javaCpuAfter - javaCpuBefore) * 1000) / recipients) : null,
        },
      },
      sendWorkers: SEND_WORKERS,
      scanSegments,
      loadAverage: { start: loadAtStart, end: loadAverage() },
    };
  } finally {
    doc.destroy();
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
