import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { Job } from '../../domain/journeys/job';
import { DEFAULT_DUE_SHARDS } from './tableDefinitions';

/** Keys and item shapes of the customers table (docs/storage.md), shared by the stores that write it. */

/** A queued job not claimed within this time is swept again: queue messages can be lost or dead-lettered. */
export const QUEUED_LEASE_MS = 10 * 60 * 1000;

/** How long each kind of record is kept (docs/storage.md). DynamoDB's TTL deletes within days of this. */
export const RETENTION_DAYS = { eventReceipt: 30, cart: 60, view: 90, order: 730, deliveryLog: 400, endedJob: 400, audit: 1095 } as const;

export type Item = Record<string, unknown>;
/** One item of a TransactWriteItems request, as the document client takes it. */
export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const customerPk = (customerId: string): string => `C#${customerId}`;
export const SK = {
  profile: 'PROFILE',
  caps: 'CAPS',
  cart: (cartKey: string) => `CART#${cartKey}`,
  job: (jobId: string) => `JOB#${jobId}`,
  receipt: (eventId: string) => `EVT#${eventId}`,
  consent: (at: string, eventId: string) => `CONSENT#${at}#${eventId}`,
  order: (orderId: string) => `ORDER#${orderId}`,
  view: (at: string, eventId: string) => `VIEW#${at}#${eventId}`,
  log: (at: string, jobId: string, stepId: string) => `LOG#${at}#${jobId}#${stepId}`,
  preference: (at: string, id: string) => `PREF#${at}#${id}`,
  attribution: (orderId: string) => `ATTRIB#${orderId}`,
  /** A happening already counted in the campaign results (an open, a click, a conversion): counted once. */
  counted: (id: string) => `COUNTED#${id}`,
  erased: 'ERASED',
};

/** Erasure tombstones live outside any customer's partition, keyed by a salted hash of the address. */
export const addressPk = (addressHash: string): string => `ADDR#${addressHash}`;
/** Under an address's hash: which customer has that address now (the console's exact-address lookup). */
export const addressCustomerSk = (customerId: string): string => `CUSTOMER#${customerId}`;

export const expiresAt = (fromIso: string, days: number): number => Math.floor(Date.parse(fromIso) / 1000) + days * 86400;
export const plusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

export function shardOf(customerId: string, jobId: string, shards = DEFAULT_DUE_SHARDS): string {
  const hash = createHash('sha1').update(`${customerId}|${jobId}`).digest().readUInt32BE(0);
  return `DUE#${hash % shards}`;
}

/** Where the held jobs of a paused campaign wait, in the due index (never swept). */
export const heldShardOf = (campaignId: string): string => `HELD#${campaignId}`;

/**
 * A job as an item. Jobs that need the sweep's attention carry the sparse due-index attributes:
 * pending at their due time (or, due already, at the time it was written: the sweep reads the index
 * from where it last stopped, so a job must not land behind it), queued at the end of their lease,
 * sending at the end of the claim timeout.
 */
export function jobItem(job: Job, sweepAt?: string): Item {
  const item: Item = { ...job, pk: customerPk(job.customerId), sk: SK.job(job.jobId), kind: 'job' };
  const at = job.status === 'pending' ? pendingPlace(job) : sweepAt;
  // A held job (its campaign is paused) sits in the same index under its campaign's own key, which the
  // sweep never reads: resume finds it there and puts it back on a due shard.
  if (job.status === 'pending' && job.heldSince) Object.assign(item, { dueShard: heldShardOf(job.campaignId), sweepAt: job.heldSince });
  else if (at) Object.assign(item, { dueShard: shardOf(job.customerId, job.jobId), sweepAt: at });
  if (job.endedAt) item['expiresAt'] = expiresAt(job.endedAt, RETENTION_DAYS.endedJob);
  return item;
}

const pendingPlace = (job: Job): string => (job.updatedAt > job.dueAt ? job.updatedAt : job.dueAt);

/**
 * Where a live job read from the table sits in the due index, as far as its fields say: a pending job
 * where jobItem put it, a queued one too when the sweep marked it by its status alone (which leaves
 * `updatedAt` as it was). For a queued job whose lease was renewed this is earlier than its place.
 */
export function sweepPlaceOf(job: Job): string | undefined {
  return (job.status === 'pending' || job.status === 'queued') && !job.heldSince ? pendingPlace(job) : undefined;
}

/**
 * DynamoDB deletes expired items within days, not at once: an item past its expiry is treated as gone
 * by every read that feeds a decision.
 */
export function isExpired(item: Item, nowIso: string): boolean {
  const at = item['expiresAt'];
  return typeof at === 'number' && at * 1000 <= Date.parse(nowIso);
}

const INTERNAL = ['pk', 'sk', 'kind', 'expiresAt', 'dueShard', 'sweepAt', 'campaignDay', 'loggedAt'];
export function strip<T>(item: Item): T {
  const copy = { ...item };
  for (const key of INTERNAL) delete copy[key];
  return copy as T;
}

/** Optimistic concurrency: the item must still be at the revision the decision was made from. */
export function revCondition(
  expected: number | null,
  attribute: 'rev' | 'version',
): { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> } {
  if (expected === null) return { ConditionExpression: 'attribute_not_exists(pk)' };
  return { ConditionExpression: `${attribute} = :expected`, ExpressionAttributeValues: { ':expected': expected } };
}
