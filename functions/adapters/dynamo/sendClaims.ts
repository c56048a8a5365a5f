import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EMPTY_CAP_STATE, releaseSlot, type CapState, type SendSlot } from '../../domain/pacing/frequencyCap';
import { CLAIM_TIMEOUT_MS, type Job } from '../../domain/journeys/job';
import { customerPk, expiresAt, jobItem, plusMs, SK, sweepPlaceOf, revCondition, type Item, type TransactItem } from './items';
import { ConcurrentUpdateError } from '../../shared/errors';
import { logger } from '../../shared/logger';
import { LOST_RACE, rereadingOnConflict } from '../../shared/retry';
import type { BatchClaimResult, ClaimSlots } from '../../usecases/ports/jobs';

/**
 * The send claim and the customer's frequency-cap item: a job moves to `sending` atomically with the
 * cap slot it takes, before SES is called; a slot is given back when the email did not go.
 */
export class SendClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCaps(customerId: string): Promise<CapState> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.caps }, ConsistentRead: true }),
    );
    return capStateOf(Item);
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
          Item: jobItem(next, claimPlace(job, now)),
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
}

/**
 * Where a claim waits in the due index. A job that came due lately keeps its place (an index key that
 * moves is two index writes): the sweep reads it again a lease on and renews it until the claim has
 * timed out, so a claim whose process died is closed a lease or two after its timeout. A job whose place
 * is older, or unknown (a lease's end), moves to the claim's timeout.
 */
function claimPlace(job: Job, now: string): string {
  const place = sweepPlaceOf(job);
  return place !== undefined && place > plusMs(now, -CLAIM_PLACE_MAX_AGE_MS) ? place : plusMs(now, CLAIM_TIMEOUT_MS);
}

/** Older than this, a job's place is read again by the sweep too soon to keep for its claim. */
const CLAIM_PLACE_MAX_AGE_MS = 5 * 60_000;

export function capStateOf(item: Item | undefined): CapState {
  if (!item) return EMPTY_CAP_STATE;
  return { slots: (item['slots'] as SendSlot[] | undefined) ?? [], rev: item['rev'] as number };
}
