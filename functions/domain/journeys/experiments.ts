import { createHash } from 'node:crypto';
import type { Campaign } from './campaign';
import { BoundedMap } from '../../lib/boundedMap';

/**
 * Deterministic assignment per (customer, campaign): the same customer always lands in the same
 * variant or in the holdout, without storing anything, and the shares follow the weights.
 */
export type Assignment = { heldOut: true } | { heldOut: false; variant?: NonNullable<Campaign['variants']>[number] };

export function bucketOf(customerId: string, campaignId: string): number {
  return createHash('sha256').update(`tactful.experiment.v1:${campaignId}:${customerId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * A send asks for the same assignment several times (the gate, the unsubscribe link, the variant, the
 * counters): the hash is kept for the few jobs in flight rather than threaded through every step.
 */
const recentBuckets = new BoundedMap<string, number>(1024);
function cachedBucket(customerId: string, campaignId: string): number {
  const key = `${campaignId}\n${customerId}`;
  return recentBuckets.get(key) ?? recentBuckets.keep(key, bucketOf(customerId, campaignId));
}

export function assign(customerId: string, campaign: Pick<Campaign, 'id' | 'holdout' | 'variants'>): Assignment {
  // No holdout and no variants: everyone is in, with nothing to hash.
  if (!(campaign.holdout > 0) && !campaign.variants?.length) return { heldOut: false };
  const bucket = cachedBucket(customerId, campaign.id);
  if (bucket < campaign.holdout) return { heldOut: true };
  const variants = campaign.variants ?? [];
  if (variants.length === 0) return { heldOut: false };
  // Rescale the rest of the range to [0, 1) and walk the cumulative weights.
  const point = (bucket - campaign.holdout) / (1 - campaign.holdout);
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let cumulative = 0;
  for (const variant of variants) {
    cumulative += variant.weight / total;
    if (point < cumulative) return { heldOut: false, variant };
  }
  return { heldOut: false, variant: variants[variants.length - 1] };
}
