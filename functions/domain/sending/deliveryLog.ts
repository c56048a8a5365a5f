import type { Job, SkipReason } from '../journeys/job';
import type { ConsentPurpose } from '../events/events';
import type { PersonalizationLevel } from '../customers/profile';

/**
 * One entry per thing that happened to a job step: sent, skipped, failed, deferred or cancelled, with
 * its one reason. Kept in the customer's partition (export, erase) and indexed by campaign and day.
 */
export type DeliveryOutcome = 'sent' | 'skipped' | 'failed' | 'deferred' | 'cancelled';

export interface DeliveryLogEntry {
  customerId: string;
  jobId: string;
  campaignId: string;
  stepId: string;
  instanceId: string;
  outcome: DeliveryOutcome;
  reason?: SkipReason | 'quiet-hours-deferred';
  detail?: string;
  at: string;
  deferredTo?: string;
  messageId?: string;
  template?: string;
  templateVersion?: string;
  /** The experiment variant this email was (or, held out, would have been) part of. */
  variant?: string;
  /** The template fields this email read: the basis of "why you got this" and of data minimization. */
  fieldsUsed?: string[];
  /**
   * Whether SES tracked this email's opens and clicks (the customer's `tracking` consent). False for
   * every entry that is no sent email: nothing went out to track.
   */
  tracking: boolean;
  /** For a sent email: what the /why page shows of what tactful relied on. */
  why?: WhyFacts;
}

/** What a sent email relied on, as it was when it was sent (the /why page reads it back). */
export interface WhyFacts {
  campaignName: string;
  /** What started the journey: the event type and when it happened (`broadcast` and its moment for a broadcast). */
  trigger: { event: string; at: string };
  /** For a broadcast: the name of the segment the customer was in when its wave started. */
  audience?: string;
  /** For cart journeys: when the cart was last changed and how many items it held. */
  cart?: { updatedAt: string; itemCount: number };
  /** The customer's personalization level in force. */
  level: PersonalizationLevel;
  /** The consent it relied on (none for transactional mail, or consent assumed in an opt-out country). */
  consent?: { topic: ConsentPurpose; at: string; source: string; policyVersion: string };
}

export function logEntryFor(job: Job, outcome: DeliveryOutcome, at: string, extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  const ids = { customerId: job.customerId, jobId: job.jobId, campaignId: job.campaignId, stepId: job.stepId, instanceId: job.instanceId };
  return { ...ids, outcome, at, tracking: false, ...extra };
}
