/**
 * Jobs on their way to becoming email, as the use cases need them (adapters/dynamo/jobStore.ts implements it).
 */
import { type CapState, type SendSlot } from '../../domain/pacing/frequencyCap';
import { type Job, type SkipReason } from '../../domain/journeys/job';
import type { Cart, Profile } from '../../domain/customers/profile';
import type { DeliveryLogEntry } from '../../domain/sending/deliveryLog';

export interface DueJobRef {
  customerId: string;
  jobId: string;
  stepId: string;
  instanceId: string;
  dueAt: string;
  version: number;
  priority: number;
  /** Where the job sits in the due index (its due time, a lease's end or a claim's timeout). */
  sweepAt?: string;
}

export interface SendFactsFromStore {
  job?: Job;
  profile?: Profile;
  cart?: Cart;
  caps: CapState;
}

export type ClaimResult = { claimed: Job } | { conflict: 'job' | 'caps' };

/** A claim in a transaction with others: `others` when it was fine but the transaction fell for another's conflict. */
export type BatchClaimResult = ClaimResult | { conflict: 'others' };

/** The cap slots a marketing send takes, written only if the cap item is still at `expectedRev`. */
export type ClaimSlots = { next: SendSlot[]; expectedRev: number | null };

/**
 * Jobs on their way to becoming email: the sweep's hand-over, the send claim with the customer's
 * frequency-cap item, deferrals, and the one recorded outcome of each job step.
 */
export interface Jobs {
  /** Jobs needing attention by `now` across every shard: highest priority first, then oldest. */
  queryDue(now: string, limitPerShard?: number): Promise<DueJobRef[]>;
  /**
   * Every job whose sweep time is after `after` (absent: any) and at most `until`, across every shard,
   * all pages: highest priority first, then oldest.
   */
  dueBetween(after: string | undefined, until: string): Promise<DueJobRef[]>;
  /**
   * Marks due jobs as handed to the send queue: the status only, so the job keeps its place in the due
   * index (no index write); the sweep's cursor keeps it from being handed over again. The version is
   * left alone, so a send that read the job before this write can still claim it. One conditional
   * UpdateItem per job, all at once: a job that moved on fails alone. Returns, per job, whether it was
   * marked; throws, once all are done, when a write failed for any reason other than its condition.
   */
  markQueued(refs: DueJobRef[], now: string): Promise<boolean[]>;
  /**
   * Jobs still waiting a lease after they were handed over (a lost or dead-lettered message, a claim
   * not closed): their sweep time moves a lease on, so the sweep hands them over again then.
   */
  renewLeases(refs: DueJobRef[], now: string): Promise<boolean[]>;
  /** How far the last sweep read the due index (its `now`); absent before the first sweep. */
  sweepCursor(): Promise<string | undefined>;
  saveSweepCursor(at: string): Promise<void>;
  /** Everything the send decision needs, in one round trip. */
  loadForSend(customerId: string, jobId: string, cartKey: string | undefined, now: string): Promise<SendFactsFromStore>;
  /**
   * The send facts of several jobs (a queue batch) in one BatchGetItem per 100 keys. Jobs of the same
   * customer share the profile and cap items, read once.
   */
  loadForSendAll(
    requests: {
      customerId: string;
      jobId: string;
      cartKey?: string;
    }[],
    now: string,
  ): Promise<SendFactsFromStore[]>;
  getCaps(customerId: string): Promise<CapState>;
  /**
   * The send claim, atomic with the frequency cap: the job moves from pending/queued to sending and,
   * for marketing mail, the customer's cap item takes the slot — both or neither. A claim lives in the
   * due index until CLAIM_TIMEOUT_MS, so one abandoned by a dead process is found and closed.
   */
  claim(job: Job, now: string, slots: ClaimSlots | undefined): Promise<ClaimResult>;
  /**
   * Several claims in one transaction (each as `claim`, both-or-neither per job and for all of them
   * together), so a queue batch claims with one request. At most one job per customer: a transaction
   * cannot write the same cap item twice. When the transaction is cancelled, each claim says why from
   * the cancellation reasons: its own job or cap item failed its condition (`job`, `caps`; a concurrent
   * transaction on either counts as `caps`, to be decided again), or it was fine and fell with the others
   * (`others`). Other errors (throttling, the network) are thrown: nothing was claimed.
   */
  claimAll(
    claims: {
      job: Job;
      slots: ClaimSlots | undefined;
    }[],
    now: string,
  ): Promise<BatchClaimResult[]>;
  /** SES did not take the email: the job goes back to queued (the queue retries it) and the slot is returned. */
  releaseClaim(claimed: Job, sendKey: string, now: string): Promise<void>;
  /**
   * Gives a taken cap slot back (re-reading on a concurrent change). A slot that cannot be given back
   * only counts against the customer's cap until its window ends: logged, not thrown.
   */
  returnSlot(customerId: string, sendKey: string, now: string): Promise<void>;
  /** One job as stored, or undefined. */
  getJob(customerId: string, jobId: string): Promise<Job | undefined>;
  /**
   * Notes on a job still `sending` that SES took its email. The version is left as it is: the live
   * sender, if there is one, records as usual; a claim that times out is then recorded as sent.
   */
  noteSesAccepted(job: Job, messageId: string, acceptedAt: string): Promise<boolean>;
  /** Not now: the job waits (quiet hours, a full cap) and the log says why. */
  defer(job: Job, until: string, reason: 'quiet-hours-deferred' | 'capped', detail: string, now: string): Promise<boolean>;
  /**
   * Its campaign is paused: the job waits, out of the sweep's sight, until resume releases it; the log
   * says it was held (outcome deferred, reason paused).
   */
  hold(job: Job, now: string): Promise<boolean>;
  /**
   * Puts a resumed campaign's held jobs back on the due shards, oldest hold first, `perMinute` of them
   * due each minute from `now` (a job due later than its slot keeps its own time). Each is released
   * once: the write is conditional on the version it was held at. Returns how many were released.
   */
  releaseHeld(campaignId: string, now: string, perMinute: number): Promise<number>;
  /** The job's next state (next step, or sent) and the log entry of the send, together. */
  recordSent(claimed: Job, next: Job, entry: DeliveryLogEntry): Promise<void>;
  /**
   * A send SES confirmed after its process died: the job as it stands (sending, or closed as an unknown
   * outcome) becomes `next`, conditional on its version; false when it moved on meanwhile.
   */
  recordConfirmed(job: Job, next: Job, entry: DeliveryLogEntry): Promise<boolean>;
  /**
   * Several sends' records in one transaction: each job's next state, conditional on its claim's
   * version, with its log entry. All or none: when one job's condition fails, none is written and the
   * caller records them one by one.
   */
  recordSentAll(
    records: {
      claimed: Job;
      next: Job;
      entry: DeliveryLogEntry;
    }[],
  ): Promise<void>;
  /**
   * Ends a job that will not become an email, with its one reason. A live job is matched by its journey
   * instance and step; a claimed one only by the claim's version.
   */
  recordNotSent(job: Job, status: 'skipped' | 'failed', reason: SkipReason | undefined, detail: string, now: string): Promise<boolean>;
  /** A live job of another campaign with a higher priority, due within `lookaheadMs`. */
  higherPriorityDue(job: Job, now: string, lookaheadMs: number): Promise<Job | undefined>;
  /** What the customer bought (newest first) and, for level full, viewed: the seeds of recommendations. */
  purchaseAndViewHistory(
    customerId: string,
    withViews: boolean,
    now: string,
  ): Promise<{
    bought: string[];
    viewed: string[];
  }>;
  /** Delivery log entries of one campaign on one day (UTC), oldest first. */
  campaignLog(campaignId: string, day: string): Promise<DeliveryLogEntry[]>;
}

/**
 * What the send path needs of the jobs (usecases/sending/): the send facts, the claim with its cap slot,
 * the record, and the job's other ends (skipped, deferred, held, released). Claim and record are separate
 * calls: a claim is made before SES is called, the record after it answered.
 */
export type SendingJobs = Pick<
  Jobs,
  | 'loadForSend'
  | 'loadForSendAll'
  | 'getCaps'
  | 'claim'
  | 'claimAll'
  | 'releaseClaim'
  | 'returnSlot'
  | 'recordSent'
  | 'recordSentAll'
  | 'recordNotSent'
  | 'recordConfirmed'
  | 'defer'
  | 'hold'
  | 'higherPriorityDue'
  | 'purchaseAndViewHistory'
>;
