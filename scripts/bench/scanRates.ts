import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { AudienceReader, KIND_FILTER } from '../../functions/adapters/dynamo/audienceReader';
import { withoutSdkLogger } from '../../functions/adapters/sdkLogger';
import { pickRecipients, type WaveFacts } from '../../functions/domain/broadcasts/recipients';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/services';
import type { ScanPosition } from '../../functions/usecases/ports/broadcasts';
import { round } from './measure';

/**
 * A wave's audience evaluation against DynamoDB Local's own parallel scan of the same table, in the same
 * run: the same segments and page size, taking turns (after a warm-up pass of each) so that load from
 * elsewhere on the shared host slows both alike. The raw side is the low-level client's Scan, the audience
 * reader's own request (its filter on the kinds a segment reads), with nothing done to what it returns: the
 * share is what the fan-out's code adds to the database's work — unmarshalling, grouping a customer's items,
 * completing one cut by the page end, and `pickRecipients` on each. The bare Scan (no filter, every item
 * sent back) is measured beside it for reference.
 */

export interface ScanRates {
  customers: number;
  items: number;
  segments: number;
  pageSize: number;
  rounds: number;
  /** The reader's request (with its filter), nothing done with the answer: the yardstick. */
  rawScanCustomersPerSecond: number;
  /** A bare Scan of every item, for reference: what DynamoDB Local sends back then costs the filter's savings. */
  bareScanCustomersPerSecond: number;
  audienceEvaluationCustomersPerSecond: number;
  shareOfRawScanRate: number;
  /** The same from each side's median pass: less moved by one pass the host slowed. */
  shareOfRawScanRateByMedianPass: number;
  /** Each timed pass, in turns: a figure that moves between runs is visible as such. */
  passMs: { raw: number[]; evaluation: number[]; bare: number[] };
}

/** The audience reader's own filter (audienceReader.ts), in the low-level client's form. */
const RAW_FILTER = {
  ...KIND_FILTER,
  ExpressionAttributeValues: Object.fromEntries(Object.entries(KIND_FILTER.ExpressionAttributeValues).map(([k, v]) => [k, { S: v }])),
};

const median = (runs: { ms: number }[]): number => {
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed(run: () => Promise<number>): Promise<{ count: number; ms: number }> {
  const start = process.hrtime.bigint();
  const count = await run();
  return { count, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

export async function benchScanRates(
  endpoint: string,
  table: string,
  facts: WaveFacts,
  { segments, pageSize, rounds = 6 }: { segments: number; pageSize: number; rounds?: number },
): Promise<ScanRates> {
  const raw = withoutSdkLogger(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const doc = createDocumentClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const reader = new AudienceReader(doc, table, pageSize);
  let items = 0;
  // Customers a raw pass saw: its profiles (every customer has exactly one).
  const rawPass = async (filtered: boolean): Promise<number> => {
    if (!filtered) items = 0;
    const counts = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let profiles = 0;
        let startKey: Record<string, never> | undefined;
        do {
          const out = await raw.send(
            new ScanCommand({
              TableName: table,
              Segment: segment,
              TotalSegments: segments,
              Limit: pageSize,
              ExclusiveStartKey: startKey,
              ...(filtered ? RAW_FILTER : {}),
            }),
          );
          for (const item of out.Items ?? []) if (item['sk']?.S === 'PROFILE') profiles++;
          if (!filtered) items += out.Items?.length ?? 0;
          startKey = out.LastEvaluatedKey as Record<string, never> | undefined;
        } while (startKey);
        return profiles;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  };
  // Customers the evaluation decided on (in the segment or not), as a wave's parts read them.
  const evaluationPass = async (): Promise<number> => {
    const counts = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let evaluated = 0;
        let position: ScanPosition | undefined = {};
        while (position) {
          const page = await reader.page(segment, segments, position, facts.waveAt);
          pickRecipients(page.subjects, facts, facts.waveAt);
          evaluated += page.subjects.length;
          position = page.next;
        }
        return evaluated;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  };
  try {
    await rawPass(false);
    await rawPass(true);
    const customers = await evaluationPass();
    const rawRuns: { count: number; ms: number }[] = [];
    const bareRuns: { count: number; ms: number }[] = [];
    const evaluationRuns: { count: number; ms: number }[] = [];
    // Each round in another order, so that neither side always follows the other.
    for (let i = 0; i < rounds; i++) {
      const turns = [
        async () => rawRuns.push(await timed(() => rawPass(true))),
        async () => evaluationRuns.push(await timed(evaluationPass)),
        async () => bareRuns.push(await timed(() => rawPass(false))),
      ];
      for (let t = 0; t < turns.length; t++) await turns[(t + i) % turns.length]!();
    }
    const rate = (runs: { count: number; ms: number }[]) =>
      runs.reduce((a, r) => a + r.count, 0) / (runs.reduce((a, r) => a + r.ms, 0) / 1000);
    const rawRate = rate(rawRuns);
    const evaluationRate = rate(evaluationRuns);
    if ([...rawRuns, ...bareRuns].some((r) => r.count !== customers))
      throw new Error(`the raw scan saw ${rawRuns[0]!.count} customers, the evaluation ${customers}`);
    return {
      customers,
      items,
      segments,
      pageSize,
      rounds,
      rawScanCustomersPerSecond: Math.round(rawRate),
      bareScanCustomersPerSecond: Math.round(rate(bareRuns)),
      audienceEvaluationCustomersPerSecond: Math.round(evaluationRate),
      shareOfRawScanRate: round(evaluationRate / rawRate),
      shareOfRawScanRateByMedianPass: round(median(rawRuns) / median(evaluationRuns)),
      passMs: {
        raw: rawRuns.map((r) => Math.round(r.ms)),
        evaluation: evaluationRuns.map((r) => Math.round(r.ms)),
        bare: bareRuns.map((r) => Math.round(r.ms)),
      },
    };
  } finally {
    raw.destroy();
    doc.destroy();
  }
}
