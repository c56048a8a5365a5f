import type { BilledUnits } from './meter';
import { startMeteredRun, unitsPer } from './meteredRun';
import { round } from '../measure';
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

export async function benchPipelineUnits(customers: number): Promise<PipelineUnits> {
  const run = await startMeteredRun('units-');
  const { system, meter } = run;
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
    await run.reportDeliveries();
    const emails = run.sent();
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
        byFunction: unitsPer(report.byFunction, emails),
        byItemKind: unitsPer(report.byItemKind, emails),
        byOperation: unitsPer(report.byOperation, emails),
      },
    };
  } finally {
    await run.stop();
  }
}
