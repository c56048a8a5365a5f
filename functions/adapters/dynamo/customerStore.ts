import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { EventEffects, CustomerState } from '../../domain/eventEffects';
import { cartKeyOf } from '../../domain/eventEffects';
import type { Job, SkipReason } from '../../domain/job';
import type { Cart, Profile } from '../../domain/profile';
import { ConcurrentUpdateError } from '../../shared/errors';
import { CUSTOMERS_TABLE_KEYS, DEFAULT_DUE_SHARDS } from './tableDefinitions';

/** How long each kind of record is kept (docs/storage.md). DynamoDB's TTL deletes within days of this. */
/** A queued job not claimed within this time is swept again: queue messages can be lost or dead-lettered. */
export const QUEUED_LEASE_MS = 10 * 60 * 1000;

export const RETENTION_DAYS = { eventReceipt: 30, cart: 60, view: 90, order: 730, sendRecord: 400, endedJob: 400 } as const;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const customerPk = (customerId: string): string => `C#${customerId}`;
const SK = {
  profile: 'PROFILE',
  cart: (cartKey: string) => `CART#${cartKey}`,
  job: (jobId: string) => `JOB#${jobId}`,
  receipt: (eventId: string) => `EVT#${eventId}`,
  consent: (at: string, eventId: string) => `CONSENT#${at}#${eventId}`,
  order: (orderId: string) => `ORDER#${orderId}`,
  view: (at: string, eventId: string) => `VIEW#${at}#${eventId}`,
  sent: (at: string, jobId: string) => `SENT#${at}#${jobId}`,
};

const expiresAt = (fromIso: string, days: number): number => Math.floor(Date.parse(fromIso) / 1000) + days * 86400;

export interface SendRecord {
  customerId: string;
  jobId: string;
  campaignId: string;
  stepId: string;
  instanceId: string;
  template: string;
  templateVersion: string;
  topic: string;
  fieldsUsed: string[];
  messageId: string;
  sentAt: string;
}

export interface DueJobRef {
  customerId: string;
  jobId: string;
  stepId: string;
  instanceId: string;
  dueAt: string;
  version: number;
}

export type ApplyResult = 'applied' | 'duplicate';

export class CustomerStore {
  private readonly dueShards: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { dueShards?: number } = {},
  ) {
    this.dueShards = options.dueShards ?? DEFAULT_DUE_SHARDS;
  }

  // ---- reads ------------------------------------------------------------------------------------

  async getProfile(customerId: string): Promise<(Profile & { rev: number }) | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.profile } }));
    return Item ? fromProfileItem(Item) : undefined;
  }

  async loadState(customerId: string, cartKey: string | undefined): Promise<CustomerState> {
    const keys = [{ pk: customerPk(customerId), sk: SK.profile }];
    if (cartKey !== undefined) keys.push({ pk: customerPk(customerId), sk: SK.cart(cartKey) });
    const [items, jobs] = await Promise.all([this.batchGet(keys), this.listJobs(customerId)]);
    const profileItem = items.find((i) => i['sk'] === SK.profile);
    const cartItem = items.find((i) => i['sk'] !== SK.profile);
    return { profile: profileItem && fromProfileItem(profileItem), cart: cartItem && fromCartItem(cartItem), jobs };
  }

  async listJobs(customerId: string): Promise<Job[]> {
    const jobs: Job[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': customerPk(customerId), ':prefix': 'JOB#' },
          ExclusiveStartKey: startKey,
        }),
      );
      jobs.push(...(page.Items ?? []).map(fromJobItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return jobs;
  }

  /** Everything the send decision needs, in one round trip. */
  async loadForSend(customerId: string, jobId: string, cartKey: string | undefined): Promise<{ job?: Job; profile?: Profile; cart?: Cart }> {
    const pk = customerPk(customerId);
    const keys = [
      { pk, sk: SK.job(jobId) },
      { pk, sk: SK.profile },
    ];
    if (cartKey !== undefined) keys.push({ pk, sk: SK.cart(cartKey) });
    const items = await this.batchGet(keys);
    const bySk = new Map(items.map((i) => [i['sk'] as string, i]));
    const job = bySk.get(SK.job(jobId));
    const profile = bySk.get(SK.profile);
    const cart = cartKey !== undefined ? bySk.get(SK.cart(cartKey)) : undefined;
    return { job: job && fromJobItem(job), profile: profile && fromProfileItem(profile), cart: cart && fromCartItem(cart) };
  }

  async listSendRecords(customerId: string): Promise<SendRecord[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPk(customerId), ':prefix': 'SENT#' },
      }),
    );
    return (page.Items ?? []).map((i) => strip(i) as unknown as SendRecord);
  }

  async getJob(customerId: string, jobId: string): Promise<Job | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.job(jobId) } }));
    return Item ? fromJobItem(Item) : undefined;
  }

  /** Jobs due by `now`, oldest first, across every shard of the due index. */
  async queryDue(now: string, limitPerShard = 100): Promise<DueJobRef[]> {
    const shards = Array.from({ length: this.dueShards }, (_, n) => `DUE#${n}`);
    const pages = await Promise.all(
      shards.map((dueShard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: CUSTOMERS_TABLE_KEYS.dueIndex.name,
            KeyConditionExpression: 'dueShard = :shard AND sweepAt <= :now',
            ExpressionAttributeValues: { ':shard': dueShard, ':now': now },
            Limit: limitPerShard,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => p.Items ?? [])
      .map((i) => ({
        customerId: i['customerId'] as string,
        jobId: i['jobId'] as string,
        stepId: i['stepId'] as string,
        instanceId: i['instanceId'] as string,
        dueAt: i['dueAt'] as string,
        version: i['version'] as number,
      }))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  // ---- writes -----------------------------------------------------------------------------------

  /**
   * Writes an event's effects and its receipt in one transaction. The receipt's condition makes a
   * redelivered event a no-op; every other condition guards what the effects were decided from.
   */
  async applyEvent(event: { id: string; customerId: string; type: string }, effects: EventEffects, now: string): Promise<ApplyResult> {
    const pk = customerPk(event.customerId);
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk, sk: SK.receipt(event.id), kind: 'eventReceipt', eventType: event.type, receivedAt: now, expiresAt: expiresAt(now, RETENTION_DAYS.eventReceipt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (effects.profile) {
      const { next, expectedRev } = effects.profile;
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { ...next, pk, sk: SK.profile, kind: 'profile', rev: (expectedRev ?? 0) + 1 },
          ...(expectedRev === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': expectedRev } }),
        },
      });
    }
    if (effects.cart) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { ...effects.cart, pk, sk: SK.cart(effects.cart.cartKey), kind: 'cart', expiresAt: expiresAt(effects.cart.updatedAt, RETENTION_DAYS.cart) },
          ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :at',
          ExpressionAttributeValues: { ':at': effects.cart.updatedAt },
        },
      });
    }
    if (effects.consentRecord) {
      const r = effects.consentRecord;
      writes.push({ Put: { TableName: this.tableName, Item: { ...r, pk, sk: SK.consent(r.at, r.eventId), kind: 'consent' } } });
    }
    if (effects.order) {
      const o = effects.order;
      writes.push({ Put: { TableName: this.tableName, Item: { ...o, pk, sk: SK.order(o.orderId), kind: 'order', expiresAt: expiresAt(o.placedAt, RETENTION_DAYS.order) } } });
    }
    if (effects.view) {
      const v = effects.view;
      writes.push({ Put: { TableName: this.tableName, Item: { ...v, pk, sk: SK.view(v.viewedAt, v.eventId), kind: 'view', expiresAt: expiresAt(v.viewedAt, RETENTION_DAYS.view) } } });
    }
    for (const change of effects.jobs) writes.push(this.jobPut(change.job, change.expectedVersion));

    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes }));
      return 'applied';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
          throw new ConcurrentUpdateError(`customer state for event ${event.id}`);
        }
      }
      throw error;
    }
  }

  /**
   * Marks a due job as handed to the send queue, with a lease: if no send claims it in time (a lost
   * or dead-lettered message), the sweep finds it again. Fails harmlessly if the job moved on.
   */
  async markQueued(ref: DueJobRef, now: string): Promise<boolean> {
    const leaseEnds = new Date(Date.parse(now) + QUEUED_LEASE_MS).toISOString();
    return this.conditionalUpdate(ref.customerId, ref.jobId, {
      UpdateExpression: 'SET #status = :queued, updatedAt = :now, sweepAt = :lease, version = :next',
      ConditionExpression: '#status IN (:pending, :queued) AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'queued', ':pending': 'pending', ':now': now, ':lease': leaseEnds, ':version': ref.version, ':next': ref.version + 1 },
    });
  }

  /**
   * The send claim: one conditional write on the job, keyed by (customer, campaign, step, trigger).
   * Whoever moves a live, due job to `sending` is the only one allowed to call SES for it. It does not
   * depend on the version read earlier, so the sweep marking the job queued cannot make a send lose it.
   */
  async claimForSend(job: Job, now: string): Promise<Job | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: customerPk(job.customerId), sk: SK.job(job.jobId) },
          UpdateExpression: 'SET #status = :sending, updatedAt = :now, claimedAt = :now ADD version :one REMOVE dueShard, sweepAt',
          ConditionExpression: '#status IN (:pending, :queued) AND instanceId = :instance AND stepId = :step AND dueAt <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':queued': 'queued',
            ':now': now,
            ':one': 1,
            ':instance': job.instanceId,
            ':step': job.stepId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromJobItem(out.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** SES did not take the message (throttled, unavailable): give the claim back so a retry can send. */
  async releaseClaim(claimed: Job, now: string): Promise<boolean> {
    return this.conditionalUpdate(claimed.customerId, claimed.jobId, {
      UpdateExpression: 'SET #status = :queued, updatedAt = :now, version = :next, dueShard = :shard, sweepAt = :lease',
      ConditionExpression: '#status = :sending AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':queued': 'queued',
        ':sending': 'sending',
        ':now': now,
        ':version': claimed.version,
        ':next': claimed.version + 1,
        ':shard': this.shardOf(claimed),
        ':lease': new Date(Date.parse(now) + QUEUED_LEASE_MS).toISOString(),
      },
    });
  }

  /** The job's next state (next step or sent) and the send record, together. */
  async recordSent(claimed: Job, next: Job, record: SendRecord): Promise<void> {
    const pk = customerPk(claimed.customerId);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          this.jobPut(next, claimed.version),
          { Put: { TableName: this.tableName, Item: { ...record, pk, sk: SK.sent(record.sentAt, record.jobId), kind: 'sendRecord', expiresAt: expiresAt(record.sentAt, RETENTION_DAYS.sendRecord) } } },
        ],
      }),
    );
  }

  /**
   * Ends a job that will not become an email, with its one reason. A live job is matched by its
   * journey instance and step (not its version: the sweep may have marked it queued meanwhile); a
   * claimed job only by the claim we hold.
   */
  async recordNotSent(job: Job, status: 'skipped' | 'failed', reason: SkipReason | undefined, detail: string, now: string): Promise<boolean> {
    const owned = job.status === 'sending';
    return this.conditionalUpdate(job.customerId, job.jobId, {
      UpdateExpression: `SET #status = :status, ${reason ? 'reason = :reason, ' : ''}reasonDetail = :detail, endedAt = :now, updatedAt = :now, expiresAt = :expires ADD version :one REMOVE dueShard, sweepAt`,
      ConditionExpression: owned ? '#status = :sending AND version = :version' : '#status IN (:pending, :queued) AND instanceId = :instance AND stepId = :step',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': status,
        ...(reason ? { ':reason': reason } : {}),
        ':detail': detail,
        ':now': now,
        ':expires': expiresAt(now, RETENTION_DAYS.endedJob),
        ':one': 1,
        ...(owned
          ? { ':sending': 'sending', ':version': job.version }
          : { ':pending': 'pending', ':queued': 'queued', ':instance': job.instanceId, ':step': job.stepId }),
      },
    });
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private jobPut(job: Job, expectedVersion: number | null): TransactItem {
    const item: Item = { ...job, pk: customerPk(job.customerId), sk: SK.job(job.jobId), kind: 'job' };
    // Only a pending job sits in the sparse due index; ended jobs expire after the retention period.
    if (job.status === 'pending') Object.assign(item, { dueShard: this.shardOf(job), sweepAt: job.dueAt });
    if (job.endedAt) item['expiresAt'] = expiresAt(job.endedAt, RETENTION_DAYS.endedJob);
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': expectedVersion } }),
      },
    };
  }

  private shardOf(job: Job): string {
    const hash = createHash('sha1').update(`${job.customerId}|${job.jobId}`).digest().readUInt32BE(0);
    return `DUE#${hash % this.dueShards}`;
  }

  private async conditionalUpdate(customerId: string, jobId: string, update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.job(jobId) }, ...update }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async batchGet(keys: Item[]): Promise<Item[]> {
    const found: Item[] = [];
    let request: Record<string, { Keys: Item[] }> | undefined = { [this.tableName]: { Keys: keys } };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(out.Responses?.[this.tableName] ?? []));
      request = out.UnprocessedKeys as typeof request;
      if (attempt > 8) throw new Error('BatchGetItem kept returning unprocessed keys');
    }
    return found;
  }
}

const INTERNAL = ['pk', 'sk', 'kind', 'expiresAt', 'dueShard', 'sweepAt', 'claimedAt'];
function strip(item: Item): Item {
  const copy = { ...item };
  for (const key of INTERNAL) delete copy[key];
  return copy;
}

const fromProfileItem = (item: Item): Profile & { rev: number } => strip(item) as unknown as Profile & { rev: number };
const fromCartItem = (item: Item): Cart => strip(item) as unknown as Cart;
const fromJobItem = (item: Item): Job => strip(item) as unknown as Job;

export { cartKeyOf };
