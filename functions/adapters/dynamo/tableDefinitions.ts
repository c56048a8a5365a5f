/**
 * Key design shared by the CDK stack and local bootstrap, so the two cannot drift (docs/storage.md).
 *
 * customers: everything personal about one customer lives in one partition (pk = C#<id>), so a data
 *   export or an erasure is one Query; the sparse `due` index holds only jobs waiting
 *   to be sent: pending and queued ones at their due time (read by the sweep from its cursor), a
 *   lease renewed at its end (so a lost queue message is found again), claims at their timeout.
 * catalog: campaigns and published templates: small, read at container start and cached.
 */
export const CUSTOMERS_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  dueIndex: {
    name: 'due',
    partitionKey: 'dueShard',
    sortKey: 'sweepAt',
    /** What the sweep reads: references only, nothing personal. */
    projectedAttributes: ['customerId', 'jobId', 'stepId', 'instanceId', 'dueAt', 'version', 'priority'],
  },
  /** Delivery log entries by campaign and day: what was sent, skipped or deferred, and why. */
  campaignIndex: { name: 'byCampaign', partitionKey: 'campaignDay', sortKey: 'loggedAt' },
} as const;

export const CATALOG_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Spreads due jobs over partitions so the sweep is not one hot key; the sweep reads every shard. */
export const DEFAULT_DUE_SHARDS = 8;
