import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Job } from '../../domain/journeys/job';
import { queryAll } from './batchGet';
import { customerPk, heldShardOf, plusMs, QUEUED_LEASE_MS, SK, strip, type Item } from './items';
import { CUSTOMERS_TABLE_KEYS, DEFAULT_DUE_SHARDS } from './tableDefinitions';
import { chunksOf } from '../../shared/chunks';
import type { DueJobRef } from '../../usecases/ports/jobs';

/** Where the sweep keeps how far it has read the due index: outside any customer's partition. */
const CURSOR_KEY = { pk: 'SWEEP', sk: 'CURSOR' };

/**
 * The sweep's side of the jobs (docs/sending.md): finding what is due in the sparse `due` index, marking
 * it handed over, leases, the sweep's cursor, and the held steps a resume lets go.
 */
export class DueJobStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly dueShards = DEFAULT_DUE_SHARDS,
  ) {}

  /** Jobs needing attention by `now` across every shard: highest priority first, then oldest. */
  async queryDue(now: string, limitPerShard = 100): Promise<DueJobRef[]> {
    const pages = await Promise.all(
      this.shards().map((dueShard) =>
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
    return byPriority(pages.flatMap((p) => p.Items ?? []).map(refOf));
  }

  /**
   * Every job whose sweep time is after `after` (absent: any) and at most `until`, across every shard,
   * all pages: highest priority first, then oldest.
   */
  async dueBetween(after: string | undefined, until: string): Promise<DueJobRef[]> {
    if (after !== undefined && after >= until) return [];
    const pages = await Promise.all(
      this.shards().map((dueShard) =>
        queryAll(this.doc, {
          TableName: this.tableName,
          IndexName: CUSTOMERS_TABLE_KEYS.dueIndex.name,
          KeyConditionExpression:
            after === undefined ? 'dueShard = :shard AND sweepAt <= :until' : 'dueShard = :shard AND sweepAt BETWEEN :after AND :until',
          ExpressionAttributeValues: { ':shard': dueShard, ':until': until, ...(after === undefined ? {} : { ':after': after }) },
        }),
      ),
    );
    // BETWEEN includes its lower end; the window does not.
    return byPriority(pages.flat().map(refOf)).filter((ref) => after === undefined || ref.sweepAt! > after);
  }

  /**
   * Marks due jobs as handed to the send queue: the status only, so the job keeps its place in the due
   * index (an index key that moves is two index writes; a status, which the index does not hold, none).
   * The sweep's cursor keeps it from being handed over again, and its lease is the time it has been
   * due: the sweep looks again at what has been due for QUEUED_LEASE_MS and renews it (renewLeases). The
   * version is left alone, so a send that read the job before this write can still claim it. One
   * conditional UpdateItem per job, all at once: a job that moved on fails alone. Returns, per job,
   * whether it was marked; throws, once all are done, when a write failed for any reason other than
   * its condition.
   */
  markQueued(refs: DueJobRef[], _now: string): Promise<boolean[]> {
    return this.updateEach(refs, (ref) => ({
      // updatedAt is left too: with the due time it says where the job sits, which its claim keeps.
      UpdateExpression: 'SET #status = :queued',
      ConditionExpression: '#status IN (:pending, :queued) AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'queued', ':pending': 'pending', ':version': ref.version },
    }));
  }

  /**
   * Jobs the sweep found still waiting a lease after it handed them over (a message lost or
   * dead-lettered, a claim not closed): their sweep time moves a lease on, so they are handed over
   * again then, and every lease after, as long as they wait. A claimed job keeps its status.
   */
  async renewLeases(refs: DueJobRef[], now: string): Promise<boolean[]> {
    const lease = plusMs(now, QUEUED_LEASE_MS);
    const waiting = await this.updateEach(refs, (ref) => ({
      UpdateExpression: 'SET #status = :queued, sweepAt = :lease, updatedAt = :now',
      ConditionExpression: '#status IN (:pending, :queued) AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':queued': 'queued', ':pending': 'pending', ':lease': lease, ':now': now, ':version': ref.version },
    }));
    // The rest may be claims whose process died: their place moves on too, their status stays.
    const others = refs.filter((_, n) => !waiting[n]);
    const claimed = await this.updateEach(others, (ref) => ({
      UpdateExpression: 'SET sweepAt = :lease, updatedAt = :now',
      ConditionExpression: '#status = :sending AND version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sending': 'sending', ':lease': lease, ':now': now, ':version': ref.version },
    }));
    let k = 0;
    return waiting.map((renewed) => renewed || claimed[k++]!);
  }

  /** How far the last sweep read the due index (its `now`); absent before the first sweep. */
  async sweepCursor(): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: CURSOR_KEY, ConsistentRead: true }));
    return Item?.['at'] as string | undefined;
  }

  async saveSweepCursor(at: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...CURSOR_KEY, kind: 'sweepCursor', at } }));
  }

  /**
   * Puts a resumed campaign's held jobs back on the due shards, oldest hold first, `perMinute` of them
   * due each minute from `now` (a job due later than its slot keeps its own time). Each is released
   * once: the write is conditional on the version it was held at. Returns how many were released.
   */
  async releaseHeld(
    campaignId: string,
    now: string,
    perMinute: number,
    putIfVersion: (job: Job, expectedVersion: number) => Promise<boolean>,
  ): Promise<number> {
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
          return (await putIfVersion(releasedJob, job.version)) ? 1 : 0;
        }),
      );
      released += results.reduce((a: number, b) => a + b, 0);
    }
    return released;
  }

  private shards(): string[] {
    return Array.from({ length: this.dueShards }, (_, n) => `DUE#${n}`);
  }

  private async updateEach(refs: DueJobRef[], update: (ref: DueJobRef) => Omit<UpdateInput, 'TableName' | 'Key'>): Promise<boolean[]> {
    const results = await Promise.allSettled(
      refs.map((ref) =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: customerPk(ref.customerId), sk: SK.job(ref.jobId) },
            ...update(ref),
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
}

type UpdateInput = ConstructorParameters<typeof UpdateCommand>[0];

function refOf(i: Item): DueJobRef {
  return {
    customerId: i['customerId'] as string,
    jobId: i['jobId'] as string,
    stepId: i['stepId'] as string,
    instanceId: i['instanceId'] as string,
    dueAt: i['dueAt'] as string,
    version: i['version'] as number,
    priority: (i['priority'] as number | undefined) ?? 50,
    sweepAt: i['sweepAt'] as string,
  };
}

const byPriority = (refs: DueJobRef[]): DueJobRef[] => refs.sort((a, b) => b.priority - a.priority || a.dueAt.localeCompare(b.dueAt));
