/**
 * Recommendations a person can understand: items bought together with, or from the same category as,
 * what the customer bought (and, at level full, viewed); never what they already bought or have in
 * their cart; at least two categories among three; bestsellers fill the rest. Each item says why.
 */
export interface ProductInfo {
  sku: string;
  name: string;
  price: number;
  currency: string;
  category?: string;
  url?: string;
  imageUrl?: string;
}

export type Reason = { kind: 'bought-together'; with: string } | { kind: 'same-category'; category: string } | { kind: 'bestseller' };

export interface Recommendation extends ProductInfo {
  reason: Reason;
}

export interface RecommendationInput {
  /** Skus the customer bought, newest first. */
  bought: string[];
  /** Skus viewed (only passed at personalization level full). */
  viewed: string[];
  inCart: string[];
  /** Co-purchase counts: seed sku → other sku → times bought together. */
  together: Map<string, Map<string, number>>;
  products: Map<string, ProductInfo>;
  /** Skus by purchases, best first. */
  bestsellers: string[];
  count?: number;
}

export function recommend({ bought, viewed, inCart, together, products, bestsellers, count = 3 }: RecommendationInput): Recommendation[] {
  const excluded = new Set([...bought, ...inCart]);
  const seeds = [...new Set([...bought, ...viewed])];
  const scored = new Map<string, { score: number; reason: Reason }>();
  const offer = (sku: string, score: number, reason: Reason) => {
    if (excluded.has(sku) || !products.has(sku)) return;
    const current = scored.get(sku);
    if (!current || current.score < score) scored.set(sku, { score, reason });
  };
  for (const seed of seeds) {
    const seedName = products.get(seed)?.name ?? seed;
    for (const [other, times] of together.get(seed) ?? []) offer(other, 10 + times, { kind: 'bought-together', with: seedName });
    const category = products.get(seed)?.category;
    if (category) for (const p of products.values()) if (p.category === category) offer(p.sku, 1, { kind: 'same-category', category });
  }
  const ranked = [...scored.entries()]
    .sort((a, b) => b[1].score - a[1].score)
    .map(([sku, s]) => ({ ...products.get(sku)!, reason: s.reason }));
  const fill = bestsellers
    .filter((sku) => !excluded.has(sku) && products.has(sku) && !scored.has(sku))
    .map((sku) => ({ ...products.get(sku)!, reason: { kind: 'bestseller' as const } }));
  return diversify([...ranked, ...fill], count);
}

/** Keeps the order of preference but makes sure at least two categories appear when the pool allows. */
function diversify(pool: Recommendation[], count: number): Recommendation[] {
  const chosen = pool.slice(0, count);
  const categories = new Set(chosen.map((r) => r.category ?? 'uncategorized'));
  if (chosen.length < count || categories.size >= 2) return chosen;
  const other = pool.slice(count).find((r) => !categories.has(r.category ?? 'uncategorized'));
  if (other) chosen[count - 1] = other;
  return chosen;
}
