import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Segment } from '../../domain/segments/facts';
import { queryAll } from './batchGet';
import { TtlCache } from '../../lib/ttlCache';

/** Segments live in the catalog table beside campaigns: one item each (`SEGMENT`, id). */
export class SegmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(segment: Segment, actor: string, now: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'SEGMENT', sk: segment.id, definition: segment, updatedAt: now, updatedBy: actor },
      }),
    );
  }

  async get(id: string): Promise<Segment | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: 'SEGMENT', sk: id } }));
    return Item ? await parsed(Item['definition']) : undefined;
  }

  async list(): Promise<Segment[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SEGMENT' },
    });
    return (await Promise.all(items.map((i) => parsed(i['definition'])))).filter((s): s is Segment => s !== undefined);
  }
}

/**
 * A stored definition as the schema reads it; one that no longer parses (the fact list changed) is left
 * out, not a crash. The schema (zod) loads only when a definition is read here, never with the module:
 * the send function reads segments through this store and keeps zod out of its cold start.
 */
async function parsed(definition: unknown): Promise<Segment | undefined> {
  const { segmentSchema } = await import('../../domain/segments/segment');
  const result = segmentSchema.safeParse(definition);
  return result.success ? result.data : undefined;
}

/** Definitions re-read at most every `ttlMs` per container (wall time), as campaigns are: what the send path reads. */
export function cachedSegmentDefinitions(store: Pick<SegmentStore, 'get'>, ttlMs = 60_000): Pick<SegmentStore, 'get'> {
  const cache = new TtlCache<Segment | undefined>(ttlMs);
  return { get: (id) => cache.get(id, () => store.get(id)) };
}
