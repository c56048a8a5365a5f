/**
 * Product facts as the use cases need them (adapters/dynamo/productStore.ts implements it).
 */
import type { ProductInfo } from '../../domain/rendering/recommendations';

export interface Products {
  recordProduct(p: ProductInfo): Promise<void>;
  recordOrder(
    items: ProductInfo[] &
      {
        qty?: number;
      }[],
  ): Promise<void>;
  together(seeds: string[]): Promise<Map<string, Map<string, number>>>;
  /** Best first. Reads the whole bestseller partition (at most once per cacheTtlMs): fine for a shop's catalog, sharded if it grows. */
  bestsellers(limit?: number): Promise<string[]>;
  /** Product facts by sku; those read within cacheTtlMs come from memory. Unknown skus are absent. */
  products(skus: string[]): Promise<Map<string, ProductInfo>>;
}
