import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../../domain/journeys/campaign';
import { queryAll } from './batchGet';
import {
  BroadcastExistsError,
  type OpenWave,
  type BroadcastRecord,
  type WavePart,
  type BroadcastRecords,
} from '../../usecases/ports/broadcasts';
export { BroadcastExistsError } from '../../usecases/ports/broadcasts';
export type { StoredState, OpenWave, BroadcastRecord, WavePart } from '../../usecases/ports/broadcasts';

const DEFINITION = (id: string) => ({ pk: 'BROADCAST', sk: id });
const KEY = (id: string) => ({ pk: 'BROADCASTS', sk: id });
const partKey = (id: string, waveAt: string, part: number) => ({
  pk: `BROADCAST#${id}`,
  sk: `PART#${waveAt}#${String(part).padStart(4, '0')}`,
});

/** What the catalog keeps of a broadcast; the rest of BroadcastRecord is the customers table's. */
const DEFINED = ['definition', 'campaign', 'createdAt', 'createdBy', 'cancelledAt', 'cancelledBy'] as const;

export class BroadcastStore implements BroadcastRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly catalogTable: string,
    /** Where the waves' progress is kept. */
    private readonly tableName: string,
  ) {}

  async create(record: Omit<BroadcastRecord, 'partsDone' | 'waves' | 'finished' | 'state'>): Promise<void> {
    const { definition, campaign, createdAt, createdBy, nextWaveAt } = record;
    const id = definition.id;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.catalogTable,
                Item: { ...DEFINITION(id), definition, campaign, createdAt, createdBy },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...KEY(id), state: 'scheduled', nextWaveAt, waves: 0, finished: false, createdAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new BroadcastExistsError(id);
      throw error;
    }
  }

  async get(id: string): Promise<BroadcastRecord | undefined> {
    const [defined, progress] = await Promise.all([
      this.doc.send(new GetCommand({ TableName: this.catalogTable, Key: DEFINITION(id), ConsistentRead: true })),
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: KEY(id), ConsistentRead: true })),
    ]);
    return defined.Item && progress.Item ? recordOf(defined.Item, progress.Item) : undefined;
  }

  async list(): Promise<BroadcastRecord[]> {
    const [defined, progress] = await Promise.all(
      [this.catalogTable, this.tableName].map((TableName, n) =>
        queryAll(this.doc, {
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': n === 0 ? 'BROADCAST' : 'BROADCASTS' },
        }),
      ),
    );
    const byId = new Map(progress!.map((i) => [String(i['sk']), i]));
    return defined!
      .flatMap((d) => {
        const p = byId.get(String(d['sk']));
        return p ? [recordOf(d, p)] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Every broadcast's campaign form, a cancelled one marked as such: what the send path and the results read. */
  async campaignForms(): Promise<Campaign[]> {
    const items = await queryAll(this.doc, {
      TableName: this.catalogTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'BROADCAST' },
      ProjectionExpression: 'campaign, cancelledAt',
    });
    return items.map((i) => {
      const campaign = i['campaign'] as Campaign;
      const cancelledAt = i['cancelledAt'] as string | undefined;
      return cancelledAt && campaign.broadcast ? { ...campaign, broadcast: { ...campaign.broadcast, cancelledAt } } : campaign;
    });
  }

  /** Opens a wave, once: conditional on the next-wave time read and the broadcast not being cancelled. */
  async startWave(record: BroadcastRecord, wave: OpenWave): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: KEY(record.definition.id),
        UpdateExpression: 'SET #state = :sending, wave = :wave, waves = waves + :one REMOVE nextWaveAt, partsDone',
        ConditionExpression: 'nextWaveAt = :expected AND #state <> :cancelled',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':wave': wave,
          ':one': 1,
          ':expected': record.nextWaveAt,
          ':cancelled': 'cancelled',
        },
      }),
    );
  }

  async part(id: string, waveAt: string, part: number): Promise<WavePart | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: partKey(id, waveAt, part), ConsistentRead: true }),
    );
    return Item ? partOf(Item) : undefined;
  }

  /** Every part of every wave, oldest wave first. */
  async parts(id: string): Promise<WavePart[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :part)',
      ExpressionAttributeValues: { ':pk': `BROADCAST#${id}`, ':part': 'PART#' },
      ConsistentRead: true,
    });
    return items.map(partOf);
  }

  /** A page of a part is done: written only if the part is still at the page it was read at (false otherwise). */
  advancePart(id: string, from: WavePart, to: WavePart): Promise<boolean> {
    const { waveAt, part } = from;
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...partKey(id, waveAt, part), ...to },
        ...(from.pages === 0
          ? { ConditionExpression: 'attribute_not_exists(pk) OR pages = :zero', ExpressionAttributeValues: { ':zero': 0 } }
          : { ConditionExpression: 'pages = :pages', ExpressionAttributeValues: { ':pages': from.pages } }),
      }),
    );
  }

  /** Notes a finished part on the broadcast, once; answers how many parts of the wave have finished, or undefined if noted already. */
  async finishPart(id: string, waveAt: string, part: number): Promise<number | undefined> {
    const marker = `${waveAt}#${part}`;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: KEY(id),
          UpdateExpression: 'ADD partsDone :marker',
          ConditionExpression: 'wave.#at = :wave AND (attribute_not_exists(partsDone) OR NOT contains(partsDone, :one))',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':marker': new Set([marker]), ':one': marker, ':wave': waveAt },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return (out.Attributes?.['partsDone'] as Set<string> | undefined)?.size ?? 0;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** The wave is over: the next one starts at `nextWaveAt`, or, without one, the broadcast has reached everyone due. */
  closeWave(id: string, waveAt: string, nextWaveAt: string | undefined): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: KEY(id),
        UpdateExpression: nextWaveAt ? 'SET nextWaveAt = :next' : 'SET finished = :yes',
        ConditionExpression: 'wave.#at = :wave AND attribute_not_exists(nextWaveAt) AND finished = :no',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':wave': waveAt, ':no': false, ...(nextWaveAt ? { ':next': nextWaveAt } : { ':yes': true }) },
      }),
    );
  }

  /** Cancels, once (the definition the send path reads, and the waves' state): false when it was cancelled already. */
  async cancel(id: string, actor: string, now: string): Promise<boolean> {
    const once = 'attribute_exists(pk) AND attribute_not_exists(cancelledAt)';
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.catalogTable,
                Key: DEFINITION(id),
                UpdateExpression: 'SET cancelledAt = :now, cancelledBy = :actor',
                ConditionExpression: once,
                ExpressionAttributeValues: { ':now': now, ':actor': actor },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: KEY(id),
                UpdateExpression: 'SET #state = :cancelled, cancelledAt = :now',
                ConditionExpression: once,
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':now': now, ':cancelled': 'cancelled' },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  private async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function recordOf(defined: Record<string, unknown>, progress: Record<string, unknown>): BroadcastRecord {
  const { pk: _pk, sk: _sk, partsDone, createdAt: _createdAt, cancelledAt: _cancelledAt, ...state } = progress;
  const definition = Object.fromEntries(DEFINED.filter((k) => defined[k] !== undefined).map((k) => [k, defined[k]]));
  return {
    ...(state as unknown as Omit<BroadcastRecord, 'partsDone'>),
    ...(definition as unknown as Pick<BroadcastRecord, (typeof DEFINED)[number]>),
    partsDone: [...((partsDone as Set<string> | undefined) ?? [])],
  };
}

function partOf(item: Record<string, unknown>): WavePart {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as WavePart;
}
