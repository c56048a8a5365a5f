import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CapState } from '../../domain/pacing/frequencyCap';
import { type Job, type SkipReason } from '../../domain/journeys/job';
import type { Cart, Profile } from '../../domain/customers/profile';
import { batchGet } from './batchGet';
import { DueJobStore } from './dueJobs';
import { capStateOf, SendClaims } from './sendClaims';
import { JobReads } from './jobReads';
import { logEntryFor, logItem, type DeliveryLogEntry } from './deliveryLog';
import {
  customerPk,
  isExpired,
  jobItem,
  plusMs,
  QUEUED_LEASE_MS,
  RETENTION_DAYS,
  SK,
  strip,
  revCondition,
  type Item,
  type TransactItem,
} from './items';
import { DEFAULT_DUE_SHARDS } from './tableDefinitions';
import {
  type DueJobRef,
  type SendFactsFromStore,
  type ClaimResult,
  type BatchClaimResult,
  type ClaimSlots,
  type Jobs,
} from '../../usecases/ports/jobs';
export type { DueJobRef, SendFactsFromStore, ClaimResult, BatchClaimResult, ClaimSlots } from '../../usecases/ports/jobs';

/**
 * Jobs on their way to becoming email: the sweep's hand-over, the send claim with the customer's
 * frequency-cap item, deferrals, and the one recorded outcome of each job step.
 */
export class JobStore implements Jobs {
  private readonly due: DueJobStore;
  private readonly claims: SendClaims;
  private readonly reads: JobReads;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { dueShards?: number } = {},
  ) {
    this.due = new DueJobStore(doc, tableName, options.dueShards ?? DEFAULT_DUE_SHARDS);
    this.claims = new SendClaims(doc, tableName);
    this.reads = new JobReads(doc, tableName);
  }

  /** Jobs needing attention by `now` across every shard: highest priority first, then oldest. */
  queryDue(now: string, limitPerShard = 100): Promise<DueJobRef[]> {
    return this.due.queryDue(now, limitPerShard);
  }

  dueBetween(after: string | undefined, until: string): Promise<DueJobRef[]> {
    return this.due.dueBetween(after, until);
  }

  markQueued(refs: DueJobRef[], now: string): Promise<boolean[]> {
    return this.due.markQueued(refs, now);
  }

  renewLeases(refs: DueJobRef[], now: string): Promise<boolean[]> {
    return this.due.renewLeases(refs, now);
  }

  sweepCursor(): Promise<string | undefined> {
    return this.due.sweepCursor();
  }

  saveSweepCursor(at: string): Promise<void> {
    return this.due.saveSweepCursor(at);
  }

  /** Everything the send decision needs, in one round trip. */
  async loadForSend(customerId: string, jobId: string, cartKey: string | undefined, now: string): Promise<SendFactsFromStore> {
    return (await this.loadForSendAll([{ customerId, jobId, cartKey }], now))[0]!;
  }

  /**
   * The send facts of several jobs (a queue batch) in one BatchGetItem per 100 keys. Jobs of the same
   * customer share the profile and cap items, read once.
   */
  async loadForSendAll(requests: { customerId: string; jobId: string; cartKey?: string }[], now: string): Promise<SendFactsFromStore[]> {
    if (requests.length === 0) return [];
    const keys = new Map<string, Item>();
    const want = (pk: string, sk: string): string => {
      const id = `${pk}\u0000${sk}`;
      if (!keys.has(id)) keys.set(id, { pk, sk });
      return id;
    };
    const wanted = requests.map(({ customerId, jobId, cartKey }) => {
      const pk = customerPk(customerId);
      return {
        job: want(pk, SK.job(jobId)),
        profile: want(pk, SK.profile),
        caps: want(pk, SK.caps),
        cart: cartKey !== undefined ? want(pk, SK.cart(cartKey)) : undefined,
      };
    });
    const items = (await batchGet(this.doc, this.tableName, [...keys.values()])).filter((i) => !isExpired(i, now));
    const byKey = new Map(items.map((i) => [`${i['pk'] as string}\u0000${i['sk'] as string}`, i]));
    const get = <T>(id: string | undefined): T | undefined => {
      const item = id === undefined ? undefined : byKey.get(id);
      return item && strip<T>(item);
    };
    return wanted.map((w) => ({
      job: get<Job>(w.job),
      profile: get<Profile>(w.profile),
      cart: get<Cart>(w.cart),
      caps: capStateOf(byKey.get(w.caps)),
    }));
  }

  getCaps(customerId: string): Promise<CapState> {
    return this.claims.getCaps(customerId);
  }

  /**
   * The send claim, atomic with the frequency cap: the job moves from pending/queued to sending and,
   * for marketing mail, the customer's cap item takes the slot — both or neither. A claim lives in the
   * due index until CLAIM_TIMEOUT_MS, so one abandoned by a dead process is found and closed.
   */
  async claim(job: Job, now: string, slots: ClaimSlots | undefined): Promise<ClaimResult> {
    return (await this.claims.claimAll([{ job, slots }], now))[0] as ClaimResult;
  }

  claimAll(claims: { job: Job; slots: ClaimSlots | undefined }[], now: string): Promise<BatchClaimResult[]> {
    return this.claims.claimAll(claims, now);
  }

  /** SES did not take the email: the job goes back to queued (the queue retries it) and the slot is returned. */
  async releaseClaim(claimed: Job, sendKey: string, now: string): Promise<void> {
    const released: Job = { ...claimed, status: 'queued', updatedAt: now, version: claimed.version + 1 };
    await this.putIfVersion(released, claimed.version, plusMs(now, QUEUED_LEASE_MS));
    await this.returnSlot(claimed.customerId, sendKey, now);
  }

  returnSlot(customerId: string, sendKey: string, now: string): Promise<void> {
    return this.claims.returnSlot(customerId, sendKey, now);
  }

  /** One job as stored, or undefined. */
  async getJob(customerId: string, jobId: string): Promise<Job | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.job(jobId) } }),
    );
    return Item ? strip<Job>(Item) : undefined;
  }

  /**
   * Notes on a job still `sending` that SES took its email. The version is left as it is: the live
   * sender, if there is one, records as usual; a claim that times out is then recorded as sent.
   */
  async noteSesAccepted(job: Job, messageId: string, acceptedAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: customerPk(job.customerId), sk: SK.job(job.jobId) },
          UpdateExpression: 'SET sesMessageId = :m, sesAcceptedAt = :at',
          ConditionExpression: '#status = :sending AND version = :v',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':m': messageId, ':at': acceptedAt, ':sending': 'sending', ':v': job.version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Not now: the job waits (quiet hours, a full cap) and the log says why. */
  async defer(job: Job, until: string, reason: 'quiet-hours-deferred' | 'capped', detail: string, now: string): Promise<boolean> {
    const deferred: Job = { ...job, status: 'pending', dueAt: until, updatedAt: now, version: job.version + 1 };
    const entry = logEntryFor(job, 'deferred', now, { reason, detail, deferredTo: until });
    return this.transact([
      { Put: { TableName: this.tableName, Item: jobItem(deferred), ...liveCondition(job) } },
      { Put: { TableName: this.tableName, Item: logItem(entry) } },
    ]);
  }

  /**
   * Its campaign is paused: the job waits, out of the sweep's sight, until resume releases it; the log
   * says it was held (outcome deferred, reason paused).
   */
  async hold(job: Job, now: string): Promise<boolean> {
    const held: Job = { ...job, status: 'pending', heldSince: now, updatedAt: now, version: job.version + 1 };
    const heldEntry = logEntryFor(job, 'deferred', now, { reason: 'paused', detail: 'campaign-paused' });
    return this.transact([
      { Put: { TableName: this.tableName, Item: jobItem(held), ...liveCondition(job) } },
      { Put: { TableName: this.tableName, Item: logItem(heldEntry) } },
    ]);
  }

  releaseHeld(campaignId: string, now: string, perMinute: number): Promise<number> {
    return this.due.releaseHeld(campaignId, now, perMinute, (job, expected) => this.putIfVersion(job, expected));
  }

  /** The job's next state (next step, or sent) and the log entry of the send, together. */
  async recordSent(claimed: Job, next: Job, entry: DeliveryLogEntry): Promise<void> {
    await this.recordSentAll([{ claimed, next, entry }]);
  }

  /**
   * A send SES confirmed after its process died: the job as it stands (sending, or closed as an unknown
   * outcome) becomes `next`, conditional on its version; false when it moved on meanwhile.
   */
  async recordConfirmed(job: Job, next: Job, entry: DeliveryLogEntry): Promise<boolean> {
    return this.transact([
      { Put: { TableName: this.tableName, Item: jobItem(next), ...revCondition(job.version, 'version') } },
      { Put: { TableName: this.tableName, Item: logItem(entry) } },
    ]);
  }

  /**
   * Several sends' records in one transaction: each job's next state, conditional on its claim's
   * version, with its log entry. All or none: when one job's condition fails, none is written and the
   * caller records them one by one.
   */
  async recordSentAll(records: { claimed: Job; next: Job; entry: DeliveryLogEntry }[]): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: records.flatMap(({ claimed, next, entry }) => [
          { Put: { TableName: this.tableName, Item: jobItem(next), ...revCondition(claimed.version, 'version') } },
          { Put: { TableName: this.tableName, Item: logItem(entry) } },
        ]),
      }),
    );
  }

  /**
   * Ends a job that will not become an email, with its one reason. A live job is matched by its journey
   * instance and step; a claimed one only by the claim's version.
   */
  async recordNotSent(
    job: Job,
    status: 'skipped' | 'failed',
    reason: SkipReason | undefined,
    detail: string,
    now: string,
  ): Promise<boolean> {
    const ended: Job = { ...job, status, reason, reasonDetail: detail, endedAt: now, updatedAt: now, version: job.version + 1 };
    const condition = job.status === 'sending' ? revCondition(job.version, 'version') : liveCondition(job);
    return this.transact([
      { Put: { TableName: this.tableName, Item: jobItem(ended), ...condition } },
      {
        Put: {
          TableName: this.tableName,
          Item: logItem(logEntryFor(job, status, now, { reason, detail, ...(reason === 'held-out' ? { variant: 'holdout' } : {}) })),
        },
      },
    ]);
  }

  higherPriorityDue(job: Job, now: string, lookaheadMs: number): Promise<Job | undefined> {
    return this.reads.higherPriorityDue(job, now, lookaheadMs);
  }

  purchaseAndViewHistory(customerId: string, withViews: boolean, now: string): Promise<{ bought: string[]; viewed: string[] }> {
    return this.reads.purchaseAndViewHistory(customerId, withViews, now);
  }

  campaignLog(campaignId: string, day: string): Promise<DeliveryLogEntry[]> {
    return this.reads.campaignLog(campaignId, day);
  }

  private async putIfVersion(job: Job, expectedVersion: number, sweepAt?: string): Promise<boolean> {
    return this.transact([
      { Put: { TableName: this.tableName, Item: jobItem(job, sweepAt), ...revCondition(expectedVersion, 'version') } },
    ]);
  }

  private async transact(items: TransactItem[]): Promise<boolean> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }
}

/** A live job, still the same journey instance and step the decision was made for. */
function liveCondition(job: Job) {
  return {
    ConditionExpression: '#status IN (:pending, :queued) AND instanceId = :instance AND stepId = :step',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pending': 'pending', ':queued': 'queued', ':instance': job.instanceId, ':step': job.stepId },
  };
}

export { RETENTION_DAYS };
