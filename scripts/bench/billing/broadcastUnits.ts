import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../functions/adapters/dynamo/documentClient';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../functions/local/services';
import { scheduleOffer, seedMembers } from '../broadcastShop';
import { round } from '../measure';
import type { BilledUnits } from './meter';
import { startMeteredRun, unitsPer } from './meteredRun';
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

export async function benchBroadcastUnits(profiles: number): Promise<BroadcastUnits> {
  const run = await startMeteredRun('bunits-');
  const { system, meter } = run;
  const doc = createDocumentClient({ endpoint: run.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  // The seeding client is metered too, not counted: the meter learns every item's full size for the scan.
  meter.attach(doc);
  try {
    const { gold: ids } = await seedMembers(system, doc, profiles);
    const { Count: items = 0 } = await doc.send(new ScanCommand({ TableName: system.tables.customers, Select: 'COUNT' }));
    run.resetSent();
    meter.counting = true;
    meter.reset();
    await scheduleOffer(system, 'units-offer');
    await system.runDueWork(60_000);
    if (run.sent() !== ids.length) throw new Error(`the broadcast sent ${run.sent()} emails to ${ids.length} members`);
    await run.reportDeliveries();
    const report = meter.report();
    const n = run.sent();
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
        byFunction: unitsPer(report.byFunction, n),
        byItemKind: unitsPer(report.byItemKind, n),
        byOperation: unitsPer(report.byOperation, n),
      },
    };
  } finally {
    doc.destroy();
    await run.stop();
  }
}
