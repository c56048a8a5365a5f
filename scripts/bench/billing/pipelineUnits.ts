import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, startSesLocal } from '../../../functions/local/services';
import { startLocalSystem } from '../../../functions/local/system';
import { chunksOf } from '../../../functions/shared/chunks';
import { BillingMeter, type BilledUnits } from './meter';
import { carts, consentedCustomers, postInBatches } from '../shopEvents';

/**
 * What one abandoned-cart email costs in DynamoDB as AWS bills it, end to end from its cart event:
 * ingest, trigger, sweep, send with its record and results, and SES's delivery event. A run of its own with the meter on (the
 * meter reads every updated item back, which would slow the throughput run it must not disturb).
 */

/** AWS list prices, us-east-1, on demand, as of 2026-12-01 (DynamoDB's since the November 2024 cut). */
export const PRICES = {
  date: '2026-12-01',
  writeRequestUnitPerMillion: 0.625,
  readRequestUnitPerMillion: 0.125,
  /**
   * Everything but DynamoDB per million emails, from docs/cost.md: Lambda, SQS, EventBridge, API Gateway,
   * logs, and SNS/SQS/Lambda of the SES-event path (its DynamoDB writes are measured).
   */
  otherServicesPerMillionEmails: 0.12 + 0.6 + 1.0 + 0.01 + 0.5 + 1.0,
} as const;

export interface PipelineUnits {
  emails: number;
  billedWriteUnitsPerEmail: number;
  billedReadUnitsPerEmail: number;
  indexWriteUnitsPerEmail: number;
  requestsPerEmail: number;
  dynamoDbCostPerMillionEmailsUsd: number;
  awsCostPerMillionEmailsUsd: number;
  prices: typeof PRICES;
  /** Per function (ingest, trigger, sweep, send) and per item kind (PROFILE, CART, JOB, LOG, CAPS, STATS…), per email. */
  perEmail: { byFunction: Record<string, BilledUnits>; byItemKind: Record<string, BilledUnits>; byOperation: Record<string, BilledUnits> };
}

const round = (n: number): number => Math.round(n * 100) / 100;
const perEmail = (units: Record<string, BilledUnits>, emails: number): Record<string, BilledUnits> =>
  Object.fromEntries(
    Object.entries(units).map(([k, u]) => [
      k,
      {
        requests: round(u.requests / emails),
        writeUnits: round(u.writeUnits / emails),
        readUnits: round(u.readUnits / emails),
        indexWriteUnits: round(u.indexWriteUnits / emails),
      },
    ]),
  );

export async function benchPipelineUnits(customers: number): Promise<PipelineUnits> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const meter = new BillingMeter(dynamo.endpoint);
  let emails = 0;
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'units-',
    sweepIntervalMs: 0,
    seedDemo: false,
    quietHours: { start: '00:00', end: '00:00' },
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-units-')), 'token.key'),
    wrapMailer: (inner) => ({ send: (email) => (emails++, inner.send(email)) }),
    sendQueue: { concurrency: 8, batchSize: 10 },
    onDocumentClient: (client) => meter.attach(client),
  });
  try {
    const now = system.clock.now().toISOString();
    const ids = Array.from({ length: customers }, (_, i) => `units-${i}`);
    await postInBatches(system, consentedCustomers(ids, now));
    await system.runDueWork();
    meter.counting = true;
    meter.reset();
    const cartAt = system.clock.now().toISOString();
    await postInBatches(system, carts(ids, cartAt));
    await system.runDueWork(3600_000);
    // Each email's delivery, as SES reports it (through the local stand-in of SNS and the feedback queue).
    const { emails: stored } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { messageId: string }[] };
    for (const chunk of chunksOf(stored, 50)) {
      const r = await fetch(`${system.url}/dev/ses-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
        body: JSON.stringify(chunk.map((e) => ({ eventType: 'Delivery', mail: { messageId: e.messageId } }))),
      });
      if (r.status !== 200) throw new Error(`SES events answered ${r.status}: ${await r.text()}`);
    }
    const report = meter.report();
    if (emails === 0) throw new Error('no email was sent: nothing to bill per email');
    const w = report.total.writeUnits / emails;
    const r = report.total.readUnits / emails;
    const dynamoCost = w * PRICES.writeRequestUnitPerMillion + r * PRICES.readRequestUnitPerMillion;
    return {
      emails,
      billedWriteUnitsPerEmail: round(w),
      billedReadUnitsPerEmail: round(r),
      indexWriteUnitsPerEmail: round(report.total.indexWriteUnits / emails),
      requestsPerEmail: round(report.total.requests / emails),
      dynamoDbCostPerMillionEmailsUsd: round(dynamoCost),
      awsCostPerMillionEmailsUsd: round(dynamoCost + PRICES.otherServicesPerMillionEmails),
      prices: PRICES,
      perEmail: {
        byFunction: perEmail(report.byFunction, emails),
        byItemKind: perEmail(report.byItemKind, emails),
        byOperation: perEmail(report.byOperation, emails),
      },
    };
  } finally {
    meter.close();
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
