import type { Job, SkipReason } from '../../domain/job';
import { customerPk, expiresAt, RETENTION_DAYS, SK, type Item } from './items';

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
}

export function logEntryFor(job: Job, outcome: DeliveryOutcome, at: string, extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  return { customerId: job.customerId, jobId: job.jobId, campaignId: job.campaignId, stepId: job.stepId, instanceId: job.instanceId, outcome, at, ...extra };
}

export function logItem(entry: DeliveryLogEntry): Item {
  return {
    ...entry,
    pk: customerPk(entry.customerId),
    sk: SK.log(entry.at, entry.jobId, entry.stepId),
    kind: 'deliveryLog',
    campaignDay: `${entry.campaignId}#${entry.at.slice(0, 10)}`,
    loggedAt: `${entry.at}#${entry.customerId}#${entry.jobId}`,
    expiresAt: expiresAt(entry.at, RETENTION_DAYS.deliveryLog),
  };
}
