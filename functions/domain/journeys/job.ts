import type { MarketingTopic } from '../events/events';

export type JobTopic = MarketingTopic | 'transactional';

/**
 * A job is one running journey of one campaign for one customer and key. Its id is deterministic
 * (campaign + journey key), which is what keeps a second trigger from doubling it.
 */
export type JobStatus = 'pending' | 'queued' | 'sending' | 'sent' | 'skipped' | 'cancelled' | 'failed';

export const LIVE_STATUSES: readonly JobStatus[] = ['pending', 'queued'];

/** Why a job did not become an email: exactly one per job (docs/skip-reasons.md). */
export type SkipReason =
  | 'cancelled'
  | 'no-consent'
  | 'suppressed'
  | 'capped'
  | 'level'
  | 'missing-data'
  | 'held-out'
  | 'duplicate'
  | 'render-budget'
  /** The campaign was paused and says `whenPaused: "skip"`. */
  | 'paused'
  /** The campaign's new version no longer has this step where the journey was. */
  | 'step-removed'
  /** The step's template (or its pinned version) is not published. */
  | 'template-removed'
  /** Due inside quiet hours, and the campaign or broadcast says `whenQuiet: "skip"`. */
  | 'quiet-hours'
  /** The campaign's trigger is filtered by a segment the customer is no longer in when the step is due. */
  | 'not-in-segment';

export interface Job {
  customerId: string;
  jobId: string;
  campaignId: string;
  campaignVersion: number;
  topic: JobTopic;
  journeyKey: string;
  /** The event that started this journey instance: part of the send idempotency key. */
  instanceId: string;
  stepIndex: number;
  stepId: string;
  template: string;
  /** Copied from the campaign: orders the hand-over and decides who gets a customer's last slot. */
  priority: number;
  cartId?: string;
  /** For browse journeys: the product looked at (catalog facts, not the customer's). */
  product?: { sku: string; name: string; price: number; currency: string; url?: string; imageUrl?: string };
  anchorAt: string;
  dueAt: string;
  /** occurredAt of the newest event applied to this job: older events arriving late are ignored. */
  lastEventAt: string;
  /** Its id: the tiebreak between two events of the same instant (eventOrder.ts). */
  lastEventId?: string;
  status: JobStatus;
  reason?: SkipReason;
  reasonDetail?: string;
  endedAt?: string;
  /** When a send claimed it; a claim older than CLAIM_TIMEOUT_MS is taken as an unknown outcome. */
  claimedAt?: string;
  /**
   * SES's word that the claimed email went (its delivery, bounce or complaint event arrived while the
   * job was still `sending`): a claim that then times out is recorded as sent, not as unknown.
   */
  sesMessageId?: string;
  sesAcceptedAt?: string;
  /** Set while the job's campaign is paused: the job waits outside the due index until resume releases it. */
  heldSince?: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency counter: every write is conditional on the version it read. */
  version: number;
}

/** A claim this old means the process died mid-send: the email may or may not have gone out. */
export const CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

export const jobIdFor = (campaignId: string, journeyKey: string): string => `${campaignId}#${journeyKey}`;

export const isLive = (job: Pick<Job, 'status'>): boolean => LIVE_STATUSES.includes(job.status);

/** The key that must be claimed before an email goes out: one email per (customer, campaign, step, trigger). */
export const sendKeyOf = (job: Pick<Job, 'customerId' | 'campaignId' | 'stepId' | 'instanceId'>): string =>
  [job.customerId, job.campaignId, job.stepId, job.instanceId].join('|');
