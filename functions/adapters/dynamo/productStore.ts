import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TtlCache } from '../../lib/ttlCache';
import { BoundedMap } from '../../lib/boundedMap';
import type { ProductInfo } from '../../domain/rendering/recommendations';
import { batchGet, queryAll } from './batchGet';
import { type Products } from '../../usecases/ports/products';

/**
 * What the shop's events say about its products — names, prices, categories, purchases and which
 * were bought together. Facts about products, not about anyone: kept outside customer partitions.
 * Updated best-effort after an event applies (a lost increment skews a count, not a promise).
 */
const PAIR_ITEMS = 10;

export class ProductStore implements Products {
  private readonly bestsellerCache: TtlCache<string[]>;
  private readonly productCache = new BoundedMap<string, { at: number; value: ProductInfo }>(10_000);
  /** What this container last wrote of each product, and when. */
  private readonly written = new BoundedMap<string, { at: number; facts: string }>(10_000);

  /**
   * `cacheTtlMs`: bestsellers and product facts are the same for every email a container sends, so
   * they are kept this long (wall time) instead of being read for each recommendation email.
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheTtlMs = 60_000,
    /** How long facts this container wrote are not written again when an event repeats them. */
    private readonly rewriteAfterMs = 60_000,
  ) {
    this.bestsellerCache = new TtlCache(cacheTtlMs);
  }

  /**
   * Writes what an event says of a product. The same facts this container wrote within cacheTtlMs are
   * not written again (rewriteAfterMs): a shop's carts name the same products over and over, and each write is a unit.
   */
  async recordProduct(p: ProductInfo): Promise<void> {
    const fields = Object.entries({
      name: p.name,
      price: p.price,
      currency: p.currency,
      category: p.category,
      url: p.url,
      imageUrl: p.imageUrl,
    }).filter(([, v]) => v !== undefined);
    const facts = JSON.stringify(fields);
    const now = Date.now();
    const last = this.written.get(p.sku);
    if (last && last.facts === facts && now - last.at < this.rewriteAfterMs) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `PRODUCT#${p.sku}`, sk: 'INFO' },
        UpdateExpression: `SET sku = :sku, kind = :kind, ${fields.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: { ':sku': p.sku, ':kind': 'product', ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])) },
      }),
    );
    if (this.rewriteAfterMs > 0) this.written.set(p.sku, { at: now, facts });
  }

  async recordOrder(items: ProductInfo[] & { qty?: number }[]): Promise<void> {
    const skus = [...new Set(items.map((i) => i.sku))].slice(0, PAIR_ITEMS);
    await Promise.all([
      ...items.map((i) => this.recordProduct(i)),
      ...items.map((i) =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: 'BESTSELLERS', sk: i.sku },
            UpdateExpression: 'SET kind = :kind ADD purchases :n',
            ExpressionAttributeValues: { ':kind': 'bestseller', ':n': (i as { qty?: number }).qty ?? 1 },
          }),
        ),
      ),
      ...skus.flatMap((a) =>
        skus
          .filter((b) => b !== a)
          .map((b) =>
            this.doc.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { pk: `PRODUCT#${a}`, sk: `WITH#${b}` },
                UpdateExpression: 'SET kind = :kind ADD times :one',
                ExpressionAttributeValues: { ':kind': 'copurchase', ':one': 1 },
              }),
            ),
          ),
      ),
    ]);
  }

  async together(seeds: string[]): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    await Promise.all(
      seeds.slice(0, 5).map(async (seed) => {
        const rows = await queryAll(this.doc, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
          ExpressionAttributeValues: { ':pk': `PRODUCT#${seed}`, ':w': 'WITH#' },
        });
        result.set(seed, new Map(rows.map((r) => [String(r['sk']).slice(5), Number(r['times'] ?? 0)])));
      }),
    );
    return result;
  }

  /** Best first. Reads the whole bestseller partition (at most once per cacheTtlMs): fine for a shop's catalog, sharded if it grows. */
  async bestsellers(limit = 20): Promise<string[]> {
    const best = await this.bestsellerCache.get('all', () =>
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'BESTSELLERS' },
      }).then((rows) => rows.sort((a, b) => Number(b['purchases'] ?? 0) - Number(a['purchases'] ?? 0)).map((r) => String(r['sk']))),
    );
    return best.slice(0, limit);
  }

  /** Product facts by sku; those read within cacheTtlMs come from memory. Unknown skus are absent. */
  async products(skus: string[]): Promise<Map<string, ProductInfo>> {
    const now = Date.now();
    const found = new Map<string, ProductInfo>();
    const missing: string[] = [];
    for (const sku of new Set(skus)) {
      const cached = this.productCache.get(sku);
      if (cached && now - cached.at < this.cacheTtlMs) found.set(sku, cached.value);
      else missing.push(sku);
    }
    // batchGet splits into requests of 100 keys itself.
    for (const item of await batchGet(
      this.doc,
      this.tableName,
      missing.map((sku) => ({ pk: `PRODUCT#${sku}`, sk: 'INFO' })),
    )) {
      const product = item as unknown as ProductInfo;
      found.set(String(item['sku']), product);
      if (this.cacheTtlMs > 0) {
        this.productCache.set(String(item['sku']), { at: now, value: product });
      }
    }
    return found;
  }
}
