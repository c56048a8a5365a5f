import { benchBroadcast, type BroadcastResult } from './broadcast';
import { benchBroadcastUnits, type BroadcastUnits } from './billing/broadcastUnits';
import { benchPipeline, type PipelineResult } from './pipeline';
import { loadAverage, round } from './measure';

/**
 * `--only broadcast`: the broadcast (broadcast.ts), the flow pipeline's send rate to read it against, and
 * the billed units per recipient (billing/broadcastUnits.ts), each a run of its own, one after the other.
 */

export const BROADCAST_TARGETS = {
  /** The wave's audience evaluation against DynamoDB Local's own parallel scan of the same table. */
  shareOfRawScanRate: 0.5,
  /** Recipients sent a second against the flow pipeline's emails a second. */
  shareOfFlowSendRate: 0.8,
};

/** The flow pipeline is measured at most at this size: its customers come in through the ingest (~100 events/s here). */
const FLOW_CUSTOMERS_MAX = 5000;

export interface BroadcastPart extends BroadcastResult {
  flow: { emailsPerSecond: number; emails: number; how: string; loadAverage: number };
  shareOfFlowSendRate: number;
  billing: BroadcastUnits;
  billedWriteUnitsPerRecipient: number;
  billedReadUnitsPerRecipient: number;
}

export async function benchBroadcastPart(profiles: number, pipelineOfThisRun?: PipelineResult): Promise<BroadcastPart> {
  console.log(`broadcast to ${profiles} profiles…`);
  const result = await benchBroadcast(profiles);
  let flow: BroadcastPart['flow'];
  if (pipelineOfThisRun) {
    const { sending, customers } = pipelineOfThisRun;
    flow = {
      emailsPerSecond: sending.emailsPerSecond,
      emails: sending.emails,
      how: `the pipeline part of this run (${customers} customers)`,
      loadAverage: loadAverage(),
    };
  } else {
    const customers = Math.min(profiles, FLOW_CUSTOMERS_MAX);
    console.log(`broadcast: the flow pipeline's send rate, ${customers} customers…`);
    const pipeline = await benchPipeline(customers);
    flow = {
      emailsPerSecond: pipeline.sending.emailsPerSecond,
      emails: pipeline.sending.emails,
      how: `the pipeline part's method, run after the broadcast (${customers} customers, 16 send workers)`,
      loadAverage: loadAverage(),
    };
  }
  console.log('broadcast: billed units…');
  const billing = await benchBroadcastUnits(Math.min(profiles, 1000));
  return {
    ...result,
    flow,
    shareOfFlowSendRate: round(result.sending.recipientsPerSecond / flow.emailsPerSecond),
    billing,
    billedWriteUnitsPerRecipient: billing.billedWriteUnitsPerRecipient,
    billedReadUnitsPerRecipient: billing.billedReadUnitsPerRecipient,
  };
}

export function broadcastChecks(b: BroadcastPart): (readonly [string, string, string, boolean])[] {
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return [
    [
      'broadcast: audience evaluation vs raw scan',
      pct(b.scan.shareOfRawScanRate),
      `≥ ${pct(BROADCAST_TARGETS.shareOfRawScanRate)}`,
      b.scan.shareOfRawScanRate >= BROADCAST_TARGETS.shareOfRawScanRate,
    ],
    [
      'broadcast: send rate vs flow pipeline',
      pct(b.shareOfFlowSendRate),
      `≥ ${pct(BROADCAST_TARGETS.shareOfFlowSendRate)}`,
      b.shareOfFlowSendRate >= BROADCAST_TARGETS.shareOfFlowSendRate,
    ],
  ];
}

export function broadcastMissedBy(b: BroadcastPart): Record<string, string | null> {
  const short = (target: number, value: number) => (value >= target ? null : `${Math.round((target - value) * 100)} points short`);
  return {
    broadcastShareOfRawScanRate: short(BROADCAST_TARGETS.shareOfRawScanRate, b.scan.shareOfRawScanRate),
    broadcastShareOfFlowSendRate: short(BROADCAST_TARGETS.shareOfFlowSendRate, b.shareOfFlowSendRate),
  };
}

export function printBroadcast(b: BroadcastPart): void {
  const { sending: s, scan, billing: u } = b;
  console.log(
    `\nbroadcast: ${s.sent} of ${b.profiles} profiles sent in ${s.seconds} s, ${s.recipientsPerSecond} recipients/s ` +
      `(first email after ${s.firstEmailAfterSeconds} s, every job handed over after ${s.fanOutSeconds} s); flow pipeline ` +
      `${b.flow.emailsPerSecond} emails/s (${b.flow.how}); ` +
      `load average ${b.loadAverage.start} → ${b.loadAverage.end}, ${b.flow.loadAverage} after the flow run`,
  );
  console.log(
    `audience: evaluation ${scan.audienceEvaluationCustomersPerSecond} customers/s vs raw parallel scan ` +
      `${scan.rawScanCustomersPerSecond} customers/s (median passes: ${Math.round(scan.shareOfRawScanRateByMedianPass * 100)}%; ` +
      `bare, no filter: ${scan.bareScanCustomersPerSecond}/s; ` +
      `${scan.segments} segments, pages of ${scan.pageSize} items, ${scan.items} items); passes ms ${JSON.stringify(scan.passMs)}`,
  );
  console.log(
    `per recipient: ${s.dynamoRequestsPerRecipient} DynamoDB requests ${JSON.stringify(s.dynamoRequestsPerRecipientByOperation)}; ` +
      `CPU node ${s.cpuMsPerRecipient.node} ms, DynamoDB Local ${s.cpuMsPerRecipient.dynamoLocal ?? '?'} ms`,
  );
  console.log(
    `billed per recipient (${u.recipients} recipients, ${u.itemsPerMember} items per member): ` +
      `${u.billedWriteUnitsPerRecipient} write units ` +
      `(${u.indexWriteUnitsPerRecipient} index), ${u.billedReadUnitsPerRecipient} read units, ${u.requestsPerRecipient} requests → ` +
      `DynamoDB $${u.dynamoDbCostPerThousandRecipientsUsd} per thousand recipients`,
  );
}
