import {
  BatchGetCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Item } from './items';
import { chunksOf } from '../../shared/chunks';
import { untilAllProcessed } from '../../shared/retry';

/** BatchGetItem's limit of keys per request. */
const MAX_BATCH_GET_KEYS = 100;

/**
 * BatchGetItem on one table, 100 keys a request (in parallel), asking again for the keys DynamoDB left
 * unprocessed (shared/retry.ts). Keys must be distinct: DynamoDB refuses a request that names an item twice.
 */
export async function batchGet(doc: DynamoDBDocumentClient, tableName: string, keys: Item[]): Promise<Item[]> {
  if (keys.length === 0) return []; // DynamoDB refuses a request with no keys
  return (await Promise.all(chunksOf(keys, MAX_BATCH_GET_KEYS).map((chunk) => batchGetChunk(doc, tableName, chunk)))).flat();
}

async function batchGetChunk(doc: DynamoDBDocumentClient, tableName: string, keys: Item[]): Promise<Item[]> {
  const found: Item[] = [];
  const left = await untilAllProcessed(keys, async (asked) => {
    const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...asked] } } }));
    found.push(...(out.Responses?.[tableName] ?? []));
    return (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
  });
  if (left.length > 0) throw new Error(`BatchGetItem kept leaving ${left.length} keys unprocessed`);
  return found;
}

/** Follows LastEvaluatedKey until the last page. */
async function allPages(page: (startKey: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>): Promise<Item[]> {
  const found: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out = await page(startKey);
    found.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/** Every page of a Query. */
export function queryAll(doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
  return allPages((startKey) => doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
}

/** Every page of a Scan (admin reads of small tables only). */
export function scanAll(doc: DynamoDBDocumentClient, input: Omit<ScanCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
  return allPages((startKey) => doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey })));
}
