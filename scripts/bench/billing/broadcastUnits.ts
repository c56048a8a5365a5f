import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../functions/adapters/dynamo/documentClient';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal, startSesLocal } from '../../../functions/local/services';
import { startLocalSystem } from '../../../functions/local/system';
import { chunksOf } from '../../../functions/shared/chunks';
import { scheduleOffer, seedMembers } from '../broadcastShop';
import { round } from '../measure';
import { BillingMeter, type BilledUnits } from './meter';
import { PRICES } from './pipelineUnits';

/**
 * What one broadcast recipient costs in DynamoDB as AWS bills it (units.ts): a metered run of its own, as
 * the pipeline's (the meter reads every updated item back, which would slow the timed run). Counted from
 * the broadcast's creation through the admin API: the sweep that opens the wave, the workers' scan pages,
 * segment evaluation and job writes, the send function's reads, claims, records and counters, and SES's
 * delivery event through the feedback function. The seeded members are written with the meter off.
 */
export interface BroadcastUnits {
  recipients: number;
  /** Items in the customers table per member when the wave read it (a real shop's customers have more). */
  itemsPerMember: number;
  billedWriteUnitsPerRecipient: number;
  billedReadUnitsPerRecipient: number;
  indexWriteUnitsPerRecipient: number;
  requestsPerRecipient: number;
  dynamoDbCostPerThousandRecipientsUsd: number;
  prices: typeof PRICES;
  perRecipient: {
    byFunction: Record<string, BilledUnits>;
    byItemKind: Record<string, BilledUnits>;
    byOperation: Record<string, BilledUnits>;
  };
}

const per = (units: Record<string, BilledUnits>, n: number): Record<string, BilledUnits> =>
  Object.fromEntries(
    Object.entries(units).map(([k, u]) => [
      k,
      {
        requests: round(u.requests / n),
        writeUnits: round(u.writeUnits / n),
        readUnits: round(u.readUnits / n),
        indexWriteUnits: round(u.indexWriteUnits / n),
      },
    ]),
  );

export async function benchBroadcastUnits(profiles: number): Promise<BroadcastUnits> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const meter = new BillingMeter(dynamo.endpoint);
  let emails = 0;
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'bunits-',
    sweepIntervalMs: 0,
    seedDemo: false,
    quietHours: { start: '00:00', end: '00:00' },
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-bunits-')), 'token.key'),
    wrapMailer: (inner) => ({ send: (email) => (emails++, inner.send(email)) }),
    sendQueue: { concurrency: 8, batchSize: 10 },
    onDocumentClient: (client) => meter.attach(client),
  });
  const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  // The seeding client is metered too, not counted: the meter learns every item's full size for the scan.
  meter.attach(doc);
  try {
    const { gold: ids } = await seedMembers(system, doc, profiles);
    const { Count: items = 0 } = await doc.send(new ScanCommand({ TableName: system.tables.customers, Select: 'COUNT' }));
    emails = 0;
    meter.counting = true;
    meter.reset();
    await scheduleOffer(system, 'units-offer');
    await system.runDueWork(60_000);
    if (emails !== ids.length) throw new Error(`the broadcast sent ${emails} emails to ${ids.length} members`);
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
    const n = emails;
    const w = report.total.writeUnits / n;
    const r = report.total.readUnits / n;
    return {
      recipients: n,
      itemsPerMember: round(items / ids.length),
      billedWriteUnitsPerRecipient: round(w),
      billedReadUnitsPerRecipient: round(r),
      indexWriteUnitsPerRecipient: round(report.total.indexWriteUnits / n),
      requestsPerRecipient: round(report.total.requests / n),
      dynamoDbCostPerThousandRecipientsUsd:
        Math.round(((w * PRICES.writeRequestUnitPerMillion + r * PRICES.readRequestUnitPerMillion) / 1000) * 1e6) / 1e6,
      prices: PRICES,
      perRecipient: {
        byFunction: per(report.byFunction, n),
        byItemKind: per(report.byItemKind, n),
        byOperation: per(report.byOperation, n),
      },
    };
  } finally {
    meter.close();
    doc.destroy();
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
