import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { segmentSchema, type Segment } from '../../domain/segments/segment';
import { queryAll } from './batchGet';

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
    return Item ? parsed(Item['definition']) : undefined;
  }

  async list(): Promise<Segment[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SEGMENT' },
    });
    return items.map((i) => parsed(i['definition'])).filter((s): s is Segment => s !== undefined);
  }
}

/** A stored definition that no longer parses (the fact list changed) is left out, not a crash. */
function parsed(definition: unknown): Segment | undefined {
  const result = segmentSchema.safeParse(definition);
  return result.success ? result.data : undefined;
}
