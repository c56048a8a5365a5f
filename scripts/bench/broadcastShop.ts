import { QueryCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerPk } from '../../functions/adapters/dynamo/items';
import type { LocalSystem } from '../../functions/local/system';
import { chunksOf } from '../../functions/shared/chunks';
import type { Segment } from '../../functions/domain/segments/segment';
import { customerEvents, postInBatches } from './shopEvents';

/**
 * The broadcast benchmark's shop: N gold members who agreed to loyalty news. Three of them (one per
 * locale) come in through POST /events as a shop would send them; the rest are copies of those three's
 * stored items under new ids, written with BatchWriteItem, so that 20,000 profiles take seconds, not the
 * minutes the ingest would, and carry exactly the items the ingest writes (whatever the layout is).
 */

export type BenchSegment = Pick<Segment, 'id' | 'name' | 'match' | 'conditions'>;

export const BENCH_SEGMENT: BenchSegment = {
  id: 'bench-gold',
  name: 'Gold members',
  match: 'all',
  conditions: [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }],
};

/** The warm-up broadcast's audience: silver members, whom the timed broadcast's wave reads and leaves out. */
export const WARM_UP_SEGMENT: BenchSegment = {
  id: 'bench-silver',
  name: 'Silver members',
  match: 'all',
  conditions: [{ fact: 'loyalty.tier', op: 'eq', value: 'silver' }],
};

/** What a segment reads and the gate needs: the profile and the consent ledger (not the flows' own jobs and log). */
const COPIED_KINDS = new Set(['profile', 'consent']);

const templateId = (i: number): string => `bcast-template-${i}`;
export const memberId = (i: number): string => `bcast-${i}`;

function memberEvents(id: string, i: number, now: string): unknown[] {
  return [
    ...customerEvents(id, i, now, { topic: 'loyalty', source: 'account' }),
    { id: `${id}-l`, type: 'loyalty.points_changed', customerId: id, occurredAt: now, data: { points: 400, tier: 'gold' } },
  ];
}

/**
 * Seeds `profiles` members (three through the ingest, the rest copied) and answers their ids. The three
 * are settled first (the loyalty flows greet a new tier at once), so the broadcast's run sends only itself.
 */
export async function seedMembers(
  system: LocalSystem,
  doc: DynamoDBDocumentClient,
  profiles: number,
  silver = 0,
): Promise<{ gold: string[]; silver: string[] }> {
  const now = system.clock.now().toISOString();
  await postInBatches(
    system,
    [0, 1, 2].flatMap((i) => memberEvents(templateId(i), i, now)),
  );
  await system.runDueWork(60_000);
  const templates = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const { Items = [] } = await doc.send(
        new QueryCommand({
          TableName: system.tables.customers,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': customerPk(templateId(i)) },
        }),
      );
      const kept = Items.filter((item) => COPIED_KINDS.has(String(item['kind'])));
      if (!kept.some((item) => item['kind'] === 'profile')) throw new Error(`seeding: ${templateId(i)} has no profile item`);
      return JSON.stringify(kept);
    }),
  );
  const ids = Array.from({ length: profiles - 3 }, (_, i) => memberId(i));
  const silverIds = Array.from({ length: silver }, (_, i) => `bcast-silver-${i}`);
  // The template's id appears in its keys, its profile and its address; a copy has its own everywhere.
  const copy = (id: string, i: number, tier = 'gold') =>
    JSON.parse(templates[i % 3]!.replaceAll(templateId(i % 3), id).replaceAll('"tier":"gold"', `"tier":"${tier}"`)) as Record<
      string,
      unknown
    >[];
  const items = [...ids.flatMap((id, i) => copy(id, i)), ...silverIds.flatMap((id, i) => copy(id, i, 'silver'))];
  const batches = chunksOf(items, 25);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 20) throw new Error('seeding: DynamoDB Local kept items unprocessed');
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [system.tables.customers]: requests } }));
          requests = (out.UnprocessedItems?.[system.tables.customers] ?? []) as typeof requests;
          if (requests.length > 0) await new Promise((r) => setTimeout(r, 20 * attempt));
        }
      }
    }),
  );
  return { gold: [...[0, 1, 2].map(templateId), ...ids], silver: silverIds };
}

/** The admin API as a publisher calls it; anything but the expected answer stops the run. */
export async function admin(system: LocalSystem, method: string, path: string, body: unknown, expected: number): Promise<unknown> {
  const r = await fetch(`${system.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${system.adminKey}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer: unknown = await r.json();
  if (r.status !== expected) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Saves the segment and schedules the loyalty offer to it a minute from now (application time). */
export async function scheduleOffer(system: LocalSystem, id: string, { id: segmentId, ...segment } = BENCH_SEGMENT): Promise<void> {
  await admin(system, 'PUT', `/admin/api/segments/${segmentId}`, segment, 200);
  const sendAt = new Date(system.clock.now().getTime() + 60_000).toISOString();
  await admin(
    system,
    'POST',
    '/admin/api/broadcasts',
    { id, name: 'Bench loyalty offer', template: 'loyalty-offer', topic: 'loyalty', segment: segmentId, sendAt },
    201,
  );
}
