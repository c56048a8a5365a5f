import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ProductInfo } from '../../domain/recommendations';
import { queryAll } from './batchGet';

/**
 * What the shop's events say about its products — names, prices, categories, purchases and which
 * were bought together. Facts about products, not about anyone: kept outside customer partitions.
 * Updated best-effort after an event applies (a lost increment skews a count, not a promise).
 */
const PAIR_ITEMS = 10;

export class ProductStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordProduct(p: ProductInfo): Promise<void> {
    const fields = Object.entries({ name: p.name, price: p.price, currency: p.currency, category: p.category, url: p.url, imageUrl: p.imageUrl }).filter(([, v]) => v !== undefined);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `PRODUCT#${p.sku}`, sk: 'INFO' },
        UpdateExpression: `SET sku = :sku, kind = :kind, ${fields.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: { ':sku': p.sku, ':kind': 'product', ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])) },
      }),
    );
  }

  async recordOrder(items: ProductInfo[] & { qty?: number }[]): Promise<void> {
    const skus = [...new Set(items.map((i) => i.sku))].slice(0, PAIR_ITEMS);
    await Promise.all([
      ...items.map((i) => this.recordProduct(i)),
      ...items.map((i) =>
        this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { pk: 'BESTSELLERS', sk: i.sku }, UpdateExpression: 'SET kind = :kind ADD purchases :n', ExpressionAttributeValues: { ':kind': 'bestseller', ':n': (i as { qty?: number }).qty ?? 1 } })),
      ),
      ...skus.flatMap((a) =>
        skus
          .filter((b) => b !== a)
          .map((b) => this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { pk: `PRODUCT#${a}`, sk: `WITH#${b}` }, UpdateExpression: 'SET kind = :kind ADD times :one', ExpressionAttributeValues: { ':kind': 'copurchase', ':one': 1 } }))),
      ),
    ]);
  }

  async together(seeds: string[]): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    await Promise.all(
      seeds.slice(0, 5).map(async (seed) => {
        const rows = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ExpressionAttributeValues: { ':pk': `PRODUCT#${seed}`, ':w': 'WITH#' } });
        result.set(seed, new Map(rows.map((r) => [String(r['sk']).slice(5), Number(r['times'] ?? 0)])));
      }),
    );
    return result;
  }

  /** Best first. Reads the whole bestseller partition: fine for a shop's catalog, sharded if it grows. */
  async bestsellers(limit = 20): Promise<string[]> {
    const rows = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BESTSELLERS' } });
    return rows.sort((a, b) => Number(b['purchases'] ?? 0) - Number(a['purchases'] ?? 0)).slice(0, limit).map((r) => String(r['sk']));
  }

  async products(skus: string[]): Promise<Map<string, ProductInfo>> {
    const unique = [...new Set(skus)];
    const found = new Map<string, ProductInfo>();
    for (let i = 0; i < unique.length; i += 100) {
      const keys = unique.slice(i, i + 100).map((sku) => ({ pk: `PRODUCT#${sku}`, sk: 'INFO' }));
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
      for (const item of out.Responses?.[this.tableName] ?? []) found.set(String(item['sku']), item as unknown as ProductInfo);
    }
    return found;
  }
}
