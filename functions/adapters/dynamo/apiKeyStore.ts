import { createHash, randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './batchGet';
import { TtlCache } from '../../lib/ttlCache';
import { ConflictError } from '../../shared/errors';

/**
 * Named API keys for shops' systems (`npx tactful keys create erp`). Only a SHA-256 of each key is
 * stored: keys are 32 random bytes, so a fast hash is enough, and a lookup by hash reveals nothing a
 * timing attack could use. Two items per key in one partition: by name (list, revoke) and by hash
 * (authenticate in one GetItem).
 */

const PK = 'APIKEYS';
export const KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,47}$/;

export interface ApiKeyInfo {
  name: string;
  createdAt: string;
  /** The first characters of the key, to tell keys apart without showing them. */
  hint: string;
}

export class DuplicateKeyNameError extends ConflictError {
  override name = 'DuplicateKeyNameError';
  constructor(readonly keyName: string) {
    super(`a key named ${keyName} exists already: revoke it first or choose another name`, 'name');
  }
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export class ApiKeyStore {
  private readonly cache: TtlCache<string | undefined>;

  /** `cacheMs`: how long a container trusts a lookup (a revoked key keeps working that long). */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheMs = 0,
  ) {
    this.cache = new TtlCache(cacheMs);
  }

  async create(name: string, now: string): Promise<{ name: string; key: string }> {
    const key = `tk_${randomBytes(32).toString('base64url')}`;
    const hash = hashKey(key);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: PK, sk: `NAME#${name}`, kind: 'apiKey', name, hash, hint: key.slice(0, 7), createdAt: now },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: { pk: PK, sk: `HASH#${hash}`, kind: 'apiKeyHash', name } } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new DuplicateKeyNameError(name);
      throw error;
    }
    return { name, key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': PK, ':p': 'NAME#' },
    });
    return items.map((i) => ({ name: String(i['name']), createdAt: String(i['createdAt']), hint: String(i['hint']) }));
  }

  /** True when a key of that name existed and is gone now. */
  async revoke(name: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: `NAME#${name}` }, ConsistentRead: true }),
    );
    if (!Item) return false;
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: { pk: PK, sk: `NAME#${name}` } } },
          { Delete: { TableName: this.tableName, Key: { pk: PK, sk: `HASH#${String(Item['hash'])}` } } },
        ],
      }),
    );
    this.cache.clear();
    return true;
  }

  /** The name of the key presented, or undefined when it is not a key (or was revoked). */
  nameOf(presented: string): Promise<string | undefined> {
    const hash = hashKey(presented);
    return this.cache.get(hash, async () => {
      const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: `HASH#${hash}` } }));
      return Item ? String(Item['name']) : undefined;
    });
  }
}
