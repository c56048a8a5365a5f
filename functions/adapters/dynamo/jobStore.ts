import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { EMPTY_CAP_STATE, releaseSlot, type CapState, type SendSlot } from '../../domain/pacing/frequencyCap';
import { CLAIM_TIMEOUT_MS, isLive, type Job, type SkipReason } from '../../domain/journeys/job';
import type { Cart, Profile } from '../../domain/customers/profile';
import { batchGet, queryAll } from './batchGet';
import { revCondition } from './customerStore';
import { logEntryFor, logItem, type DeliveryLogEntry } from './deliveryLog';
import {
  customerPk,
  expiresAt,
  heldShardOf,
  isExpired,
  jobItem,
  plusMs,
  QUEUED_LEASE_MS,
  RETENTION_DAYS,
  SK,
  strip,
  type Item,
} from './items';
import { CUSTOMERS_TABLE_KEYS, DEFAULT_DUE_SHARDS } from './tableDefinitions';
import { chunksOf } from '../../shared/chunks';
import { ConcurrentUpdateError } from '../../shared/errors';
import { logger } from '../../shared/logger';
import { LOST_RACE, rereadingOnConflict } from '../../shared/retry';
import {
  type DueJobRef,
  type SendFactsFromStore,
  type ClaimResult,
  type BatchClaimResult,
  type ClaimSlots,
  type Jobs,
} from '../../usecases/ports/jobs';
export type { DueJobRef, SendFactsFromStore, ClaimResult, BatchClaimResult, ClaimSlots } from '../../usecases/ports/jobs';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * Jobs on their way to becoming email: the sweep's hand-over, the send claim with the customer's
 * frequency-cap item, deferrals, and the one recorded outcome of each job step.
 */
export class JobStore implements Jobs {
  private readonly dueShards: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { dueShards?: number } = {},
  ) {
    this.dueShards = options.dueShards ?? DEFAULT_DUE_SHARDS;
  }

  /** Jobs needing attention by `now` across every shard: highest priority first, then oldest. */
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
        priority: (i['priority'] as number | undefined) ?? 50,
      }))
      .sort((a, b) => b.priority - a.priority || a.dueAt.localeCompare(b.dueAt));
  }

  /**
   * Marks due jobs as handed to the send queue, with a lease: if no send claims one in time (a lost or
   * dead-lettered message), the sweep finds it again. The version is left alone, so a send that read the
   * job before this write can still claim it. One conditional UpdateItem per job, all at once: a job that
   * moved on fails alone. (A PartiQL BatchExecuteStatement of 25 saves requests but costs DynamoDB Local
   * about three times the CPU per job of an UpdateItem; on DynamoDB both cost one write unit a job.)
   * Returns, per job, whether it was marked; throws, once all are done, when a write failed for any
   * reason other than its condition.
   */
  async markQueued(refs: DueJobRef[], now: string): Promise<boolean[]> {
    const lease = plusMs(now, QUEUED_LEASE_MS);
    const results = await Promise.allSettled(
      refs.map((ref) =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: customerPk(ref.customerId), sk: SK.job(ref.jobId) },
            UpdateExpression: 'SET #status = :queued, updatedAt = :now, sweepAt = :lease',
            ConditionExpression: '#status IN (:pending, :queued) AND version = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':queued': 'queued',
              ':pending': 'pending',
              ':now': now,
              ':lease': lease,
              ':version': ref.version,
            },
          }),
        ),
      ),
    );
    const failed = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof ConditionalCheckFailedException),
    );
    if (failed) throw failed.reason;
    return results.map((r) => r.status === 'fulfilled');
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

  async getCaps(customerId: string): Promise<CapState> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.caps }, ConsistentRead: true }),
    );
    return capStateOf(Item);
  }

  /**
   * The send claim, atomic with the frequency cap: the job moves from pending/queued to sending and,
   * for marketing mail, the customer's cap item takes the slot — both or neither. A claim lives in the
   * due index until CLAIM_TIMEOUT_MS, so one abandoned by a dead process is found and closed.
   */
  async claim(job: Job, now: string, slots: ClaimSlots | undefined): Promise<ClaimResult> {
    return (await this.claimAll([{ job, slots }], now))[0] as ClaimResult;
  }

  /**
   * Several claims in one transaction (each as `claim`, both-or-neither per job and for all of them
   * together), so a queue batch claims with one request. At most one job per customer: a transaction
   * cannot write the same cap item twice. When the transaction is cancelled, each claim says why from
   * the cancellation reasons: its own job or cap item failed its condition (`job`, `caps`; a concurrent
   * transaction on either counts as `caps`, to be decided again), or it was fine and fell with the others
   * (`others`). Other errors (throttling, the network) are thrown: nothing was claimed.
   */
  async claimAll(claims: { job: Job; slots: ClaimSlots | undefined }[], now: string): Promise<BatchClaimResult[]> {
    if (new Set(claims.map((c) => c.job.customerId)).size < claims.length) throw new Error('claimAll takes at most one job per customer');
    const claimed: Job[] = [];
    const writes: TransactItem[] = [];
    const positions: { job: number; caps?: number }[] = [];
    for (const { job, slots } of claims) {
      const next: Job = { ...job, status: 'sending', claimedAt: now, updatedAt: now, version: job.version + 1 };
      claimed.push(next);
      positions.push({ job: writes.length, ...(slots ? { caps: writes.length + 1 } : {}) });
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: jobItem(next, plusMs(now, CLAIM_TIMEOUT_MS)),
          ConditionExpression: '#status IN (:pending, :queued) AND version = :version AND dueAt <= :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ':queued': 'queued', ':version': job.version, ':now': now },
        },
      });
      if (slots)
        writes.push({
          Put: {
            TableName: this.tableName,
            Item: this.capsItem(job.customerId, slots.next, slots.expectedRev, now),
            ...revCondition(slots.expectedRev, 'rev'),
          },
        });
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes }));
      return claimed.map((job) => ({ claimed: job }));
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      if (!reasons || reasons.length !== writes.length) throw error;
      const results = positions.map(({ job, caps }): BatchClaimResult => {
        const codes = [reasons[job]?.Code, caps === undefined ? undefined : reasons[caps]?.Code];
        if (codes[0] === 'ConditionalCheckFailed') return { conflict: 'job' };
        if (codes[1] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict')) return { conflict: 'caps' };
        if (codes.every((code) => code === undefined || code === 'None')) return { conflict: 'others' };
        // Its own write failed for another reason (throttled, too large): not something a retry of the claim decides.
        throw error;
      });
      // Cancelled with no claim to blame: nothing to decide again from.
      if (results.every((r) => 'conflict' in r && r.conflict === 'others')) throw error;
      return results;
    }
  }

  /** SES did not take the email: the job goes back to queued (the queue retries it) and the slot is returned. */
  async releaseClaim(claimed: Job, sendKey: string, now: string): Promise<void> {
    const released: Job = { ...claimed, status: 'queued', updatedAt: now, version: claimed.version + 1 };
    await this.putIfVersion(released, claimed.version, plusMs(now, QUEUED_LEASE_MS));
    await this.returnSlot(claimed.customerId, sendKey, now);
  }

  /**
   * Gives a taken cap slot back (re-reading on a concurrent change). A slot that cannot be given back
   * only counts against the customer's cap until its window ends: logged, not thrown.
   */
  async returnSlot(customerId: string, sendKey: string, now: string): Promise<void> {
    try {
      await rereadingOnConflict(async () => {
        const caps = await this.getCaps(customerId);
        if (!caps.slots.some((s) => s.sendKey === sendKey)) return;
        try {
          await this.doc.send(
            new PutCommand({
              TableName: this.tableName,
              Item: this.capsItem(customerId, releaseSlot(caps, sendKey), caps.rev, now),
              ...revCondition(caps.rev, 'rev'),
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          return LOST_RACE;
        }
      }, `cap slots of ${customerId}`);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      logger.warn('cap slot not given back: the cap item kept changing', { customerId });
    }
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

  /**
   * Puts a resumed campaign's held jobs back on the due shards, oldest hold first, `perMinute` of them
   * due each minute from `now` (a job due later than its slot keeps its own time). Each is released
   * once: the write is conditional on the version it was held at. Returns how many were released.
   */
  async releaseHeld(campaignId: string, now: string, perMinute: number): Promise<number> {
    const refs = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: CUSTOMERS_TABLE_KEYS.dueIndex.name,
      KeyConditionExpression: 'dueShard = :held',
      ExpressionAttributeValues: { ':held': heldShardOf(campaignId) },
    });
    let released = 0;
    for (const [n, chunk] of chunksOf(refs, 25).entries()) {
      const results = await Promise.all(
        chunk.map(async (ref, k) => {
          const key = { pk: customerPk(String(ref['customerId'])), sk: SK.job(String(ref['jobId'])) };
          const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key }));
          const job = Item && strip<Job>(Item);
          if (!job || job.status !== 'pending' || !job.heldSince) return 0;
          const slot = plusMs(now, Math.floor((n * 25 + k) / perMinute) * 60_000);
          const due = job.dueAt > slot ? job.dueAt : slot;
          // The journey goes on where it stopped, later by the time it waited: later steps keep their spacing.
          const shift = Date.parse(due) - Date.parse(job.dueAt);
          const { heldSince: _held, ...rest } = job;
          const releasedJob: Job = { ...rest, anchorAt: plusMs(job.anchorAt, shift), dueAt: due, updatedAt: now, version: job.version + 1 };
          return (await this.putIfVersion(releasedJob, job.version)) ? 1 : 0;
        }),
      );
      released += results.reduce((a: number, b) => a + b, 0);
    }
    return released;
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

  /** A live job of another campaign with a higher priority, due within `lookaheadMs`. */
  async higherPriorityDue(job: Job, now: string, lookaheadMs: number): Promise<Job | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPk(job.customerId), ':prefix': 'JOB#' },
      }),
    );
    const horizon = plusMs(now, lookaheadMs);
    return (out.Items ?? [])
      .map((i) => strip<Job>(i))
      .find((other) => other.jobId !== job.jobId && isLive(other) && other.priority > job.priority && other.dueAt <= horizon);
  }

  /** What the customer bought (newest first) and, for level full, viewed: the seeds of recommendations. */
  async purchaseAndViewHistory(customerId: string, withViews: boolean, now: string): Promise<{ bought: string[]; viewed: string[] }> {
    const query = (prefix: string) =>
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': customerPk(customerId), ':p': prefix },
      });
    const [orders, views] = await Promise.all([query('ORDER#'), withViews ? query('VIEW#') : Promise.resolve([])]);
    const live = (items: Item[]) => items.filter((i) => !isExpired(i, now));
    const bought = live(orders)
      .sort((a, b) => String(b['placedAt']).localeCompare(String(a['placedAt'])))
      .flatMap((o) => ((o['items'] as { sku: string }[] | undefined) ?? []).map((i) => i.sku));
    const viewed = live(views).map((v) => String(v['sku']));
    return { bought: [...new Set(bought)], viewed: [...new Set(viewed)] };
  }

  /** Delivery log entries of one campaign on one day (UTC), oldest first. */
  async campaignLog(campaignId: string, day: string): Promise<DeliveryLogEntry[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: CUSTOMERS_TABLE_KEYS.campaignIndex.name,
      KeyConditionExpression: 'campaignDay = :key',
      ExpressionAttributeValues: { ':key': `${campaignId}#${day}` },
    });
    return items.map((i) => strip<DeliveryLogEntry>(i));
  }

  private capsItem(customerId: string, slots: SendSlot[], expectedRev: number | null, now: string): Item {
    // The item lives as long as its newest slot can count toward a rule.
    return {
      pk: customerPk(customerId),
      sk: SK.caps,
      kind: 'caps',
      slots,
      rev: (expectedRev ?? 0) + 1,
      updatedAt: now,
      expiresAt: expiresAt(now, 31),
    };
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

function capStateOf(item: Item | undefined): CapState {
  if (!item) return EMPTY_CAP_STATE;
  return { slots: (item['slots'] as SendSlot[] | undefined) ?? [], rev: item['rev'] as number };
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
