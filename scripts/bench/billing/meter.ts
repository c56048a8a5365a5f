import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../functions/local/services';
import { invocation } from '../../../functions/local/invocation';
import { itemSize, itemWriteUnits, readUnits, writeUnits, type IndexShape, type TableShape } from './units';

/**
 * Meters a DocumentClient as AWS would bill it (units.ts), per function (the in-process invocation:
 * ingest, trigger, sweep, send…) and per item kind (PROFILE, CART, JOB, LOG, CAPS, STATS…). It keeps
 * a shadow of every item it sees written, so a write knows the item before it and a Query the full size
 * of what it read; the item after an update is read back through a client of its own, not metered.
 */

type Item = Record<string, unknown>;

export interface BilledUnits {
  requests: number;
  writeUnits: number;
  readUnits: number;
  /** Of writeUnits: what the global secondary indexes cost. */
  indexWriteUnits: number;
}

const empty = (): BilledUnits => ({ requests: 0, writeUnits: 0, readUnits: 0, indexWriteUnits: 0 });

export interface MeterReport {
  total: BilledUnits;
  byFunction: Record<string, BilledUnits>;
  byItemKind: Record<string, BilledUnits>;
  byOperation: Record<string, BilledUnits>;
}

export class BillingMeter {
  private shadow = new Map<string, Item>();
  private shapes = new Map<string, TableShape>();
  private readonly raw: DynamoDBDocumentClient;
  private totals = empty();
  private byFunction = new Map<string, BilledUnits>();
  private byKind = new Map<string, BilledUnits>();
  private byOperation = new Map<string, BilledUnits>();
  /** Off while the stack is set up: the shadow still learns every item, nothing is counted. */
  counting = false;

  constructor(endpoint: string) {
    this.raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  }

  reset(): void {
    this.totals = empty();
    this.byFunction.clear();
    this.byKind.clear();
    this.byOperation.clear();
  }

  report(): MeterReport {
    const obj = (m: Map<string, BilledUnits>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      total: { ...this.totals },
      byFunction: obj(this.byFunction),
      byItemKind: obj(this.byKind),
      byOperation: obj(this.byOperation),
    };
  }

  close(): void {
    this.raw.destroy();
  }

  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // PutItemCommand → Put, TransactWriteItemsCommand → TransactWrite, QueryCommand → Query.
        const op = String(context.commandName)
          .replace(/Command$/, '')
          .replace(/Items?$/, '');
        const input = args.input as Item;
        const before = await this.beforeImages(op, input);
        try {
          const result = await next(args);
          await this.bill(op, input, result.output as Item, before, undefined);
          return result;
        } catch (error) {
          await this.bill(op, input, undefined, before, error);
          throw error;
        }
      },
      { step: 'initialize', name: 'tactfulBillingMeter' },
    );
  }

  private async shape(table: string): Promise<TableShape> {
    const known = this.shapes.get(table);
    if (known) return known;
    const { Table } = await this.raw.send(new DescribeTableCommand({ TableName: table }));
    const key = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: string) =>
      schema?.find((k) => k.KeyType === type)?.AttributeName;
    const indexes: IndexShape[] = (Table?.GlobalSecondaryIndexes ?? []).map((g) => ({
      name: g.IndexName!,
      partitionKey: key(g.KeySchema, 'HASH')!,
      ...(key(g.KeySchema, 'RANGE') ? { sortKey: key(g.KeySchema, 'RANGE')! } : {}),
      projection:
        g.Projection?.ProjectionType === 'ALL'
          ? 'ALL'
          : g.Projection?.ProjectionType === 'KEYS_ONLY'
            ? 'KEYS_ONLY'
            : (g.Projection?.NonKeyAttributes ?? []),
    }));
    const shape: TableShape = {
      partitionKey: key(Table?.KeySchema, 'HASH')!,
      ...(key(Table?.KeySchema, 'RANGE') ? { sortKey: key(Table?.KeySchema, 'RANGE')! } : {}),
      indexes,
    };
    this.shapes.set(table, shape);
    return shape;
  }

  private async keyOf(table: string, item: Item): Promise<string> {
    const s = await this.shape(table);
    return `${table}|${String(item[s.partitionKey])}|${s.sortKey ? String(item[s.sortKey]) : ''}`;
  }

  /** The writes of a request: table, key and kind of change. */
  private writesOf(op: string, input: Item): { table: string; key: Item; item?: Item; change: 'put' | 'update' | 'delete' | 'check' }[] {
    if (op === 'Put')
      return [{ table: input['TableName'] as string, key: input['Item'] as Item, item: input['Item'] as Item, change: 'put' }];
    if (op === 'Update') return [{ table: input['TableName'] as string, key: input['Key'] as Item, change: 'update' }];
    if (op === 'Delete') return [{ table: input['TableName'] as string, key: input['Key'] as Item, change: 'delete' }];
    if (op === 'TransactWrite') {
      return ((input['TransactItems'] as Item[]) ?? []).map((t) => {
        if (t['Put']) {
          const p = t['Put'] as Item;
          return { table: p['TableName'] as string, key: p['Item'] as Item, item: p['Item'] as Item, change: 'put' as const };
        }
        const [kind, body] = Object.entries(t)[0] as [string, Item];
        const change = kind === 'Update' ? 'update' : kind === 'Delete' ? 'delete' : 'check';
        return { table: body['TableName'] as string, key: body['Key'] as Item, change };
      });
    }
    if (op === 'BatchWrite') {
      const out: ReturnType<BillingMeter['writesOf']> = [];
      for (const [table, requests] of Object.entries((input['RequestItems'] as Record<string, Item[]>) ?? {})) {
        for (const r of requests) {
          if (r['PutRequest']) {
            const item = (r['PutRequest'] as Item)['Item'] as Item;
            out.push({ table, key: item, item, change: 'put' });
          } else out.push({ table, key: (r['DeleteRequest'] as Item)['Key'] as Item, change: 'delete' });
        }
      }
      return out;
    }
    return [];
  }

  private async beforeImages(op: string, input: Item): Promise<(Item | undefined)[]> {
    const writes = this.writesOf(op, input);
    return Promise.all(writes.map(async (w) => this.shadow.get(await this.keyOf(w.table, w.key))));
  }

  private add(fn: string, kind: string, op: string, units: Partial<BilledUnits>): void {
    for (const bucket of [
      this.totals,
      this.bucket(this.byFunction, fn),
      this.bucket(this.byKind, kind),
      this.bucket(this.byOperation, op),
    ]) {
      bucket.requests += units.requests ?? 0;
      bucket.writeUnits += units.writeUnits ?? 0;
      bucket.readUnits += units.readUnits ?? 0;
      bucket.indexWriteUnits += units.indexWriteUnits ?? 0;
    }
  }

  private bucket(map: Map<string, BilledUnits>, name: string): BilledUnits {
    let b = map.get(name);
    if (!b) map.set(name, (b = empty()));
    return b;
  }

  private async bill(op: string, input: Item, output: Item | undefined, before: (Item | undefined)[], error: unknown): Promise<void> {
    const fn = invocation.getStore()?.functionName ?? 'other';
    const count = this.counting;
    const name = (error as { name?: string } | undefined)?.name;
    const failed = name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
    if (error && !failed) return; // throttling, a bad request: retried or reported, not billed here
    const writes = this.writesOf(op, input);
    const transactional = op === 'TransactWrite';
    const unprocessed = new Set<string>();
    if (op === 'BatchWrite' && output) {
      for (const [table, requests] of Object.entries((output['UnprocessedItems'] as Record<string, Item[]>) ?? {})) {
        for (const r of requests) {
          const key = r['PutRequest'] ? ((r['PutRequest'] as Item)['Item'] as Item) : ((r['DeleteRequest'] as Item)['Key'] as Item);
          unprocessed.add(await this.keyOf(table, key));
        }
      }
    }
    let firstOfRequest = true;
    for (const [i, w] of writes.entries()) {
      const key = await this.keyOf(w.table, w.key);
      if (unprocessed.has(key)) continue;
      const was = before[i];
      let after: Item | undefined;
      if (failed || w.change === 'check') after = was;
      else if (w.change === 'put') after = w.item;
      else if (w.change === 'delete') after = undefined;
      else after = (await this.raw.send(new GetCommand({ TableName: w.table, Key: w.key, ConsistentRead: true }))).Item;
      if (!failed) {
        if (after) this.shadow.set(key, after);
        else this.shadow.delete(key);
      }
      if (!count) continue;
      const units =
        w.change === 'check'
          ? { table: writeUnits(itemSize(was)) * 2, indexes: {} }
          : itemWriteUnits(await this.shape(w.table), was, after, { transactional, failed });
      const indexUnits = Object.values(units.indexes).reduce((a, b) => a + b, 0);
      this.add(fn, kindOf(was ?? after ?? w.key), op, {
        requests: firstOfRequest ? 1 : 0,
        writeUnits: units.table + indexUnits,
        indexWriteUnits: indexUnits,
      });
      firstOfRequest = false;
    }
    if (!count || writes.length > 0) return;
    await this.billRead(fn, op, input, output);
  }

  private async billRead(fn: string, op: string, input: Item, output: Item | undefined): Promise<void> {
    const consistent = input['ConsistentRead'] === true;
    const full = async (table: string, item: Item): Promise<Item> => this.shadow.get(await this.keyOf(table, item)) ?? item;
    if (op === 'Get') {
      const item = output?.['Item'] as Item | undefined;
      const table = input['TableName'] as string;
      const size = item ? itemSize(await full(table, item)) : 0;
      this.add(fn, kindOf(item ?? (input['Key'] as Item)), op, { requests: 1, readUnits: readUnits(size, consistent) });
      return;
    }
    if (op === 'BatchGet' || op === 'TransactGet') {
      const found: [string, Item][] =
        op === 'BatchGet'
          ? Object.entries((output?.['Responses'] as Record<string, Item[]>) ?? {}).flatMap(([t, items]) =>
              items.map((i) => [t, i] as [string, Item]),
            )
          : ((output?.['Responses'] as { Item?: Item }[]) ?? []).flatMap((r, i) => {
              const get = ((input['TransactItems'] as Item[])[i]!['Get'] as Item) ?? {};
              return r.Item ? [[get['TableName'] as string, r.Item] as [string, Item]] : [];
            });
      let first = true;
      for (const [table, item] of found) {
        const units =
          readUnits(itemSize(await full(table, item)), op === 'TransactGet' ? true : consistent) * (op === 'TransactGet' ? 2 : 1);
        this.add(fn, kindOf(item), op, { requests: first ? 1 : 0, readUnits: units });
        first = false;
      }
      if (first) this.add(fn, 'none', op, { requests: 1, readUnits: 0 });
      return;
    }
    if (op === 'Query' || op === 'Scan') {
      const table = input['TableName'] as string;
      const items = (output?.['Items'] as Item[]) ?? [];
      const shape = await this.shape(table);
      const index = shape.indexes.find((x) => x.name === input['IndexName']);
      let bytes = 0;
      for (const item of items) {
        const whole = await full(table, item);
        bytes += itemSize(index ? indexCopyOf(shape, index, whole) : whole);
      }
      // Items the filter dropped were read too: their size is taken as the average of those returned.
      const scanned = Number(output?.['ScannedCount'] ?? items.length);
      if (scanned > items.length) bytes += (scanned - items.length) * (items.length ? bytes / items.length : 100);
      const kind = items[0] ? kindOf(items[0]) : index ? `index:${index.name}` : 'none';
      this.add(fn, kind, index ? `${op}(${index.name})` : op, { requests: 1, readUnits: readUnits(bytes, consistent) });
      return;
    }
    this.add(fn, 'other', op, { requests: 1 });
  }
}

function indexCopyOf(table: TableShape, index: IndexShape, item: Item): Item {
  if (index.projection === 'ALL') return item;
  const keep = new Set([table.partitionKey, table.sortKey, index.partitionKey, index.sortKey].filter(Boolean) as string[]);
  if (index.projection !== 'KEYS_ONLY') for (const a of index.projection) keep.add(a);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

/** What kind of item a key names: the sort key's prefix in a customer's partition, else the partition's. */
export function kindOf(item: Item): string {
  const pk = String(item['pk'] ?? '');
  const sk = String(item['sk'] ?? '');
  if (pk.startsWith('C#')) return sk.split('#')[0] || 'customer';
  return pk.split('#')[0] || 'other';
}
