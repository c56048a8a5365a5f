import { logEntryFor } from '../domain/sending/deliveryLog';
import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Jobs } from './ports/jobs';
import type { Campaign } from '../domain/journeys/campaign';
import { jobIdFor, type Job } from '../domain/journeys/job';
import { advanceAfterSend } from '../domain/journeys/journeyPlanner';
import { armOf, confirmedCount, DEFAULT_VARIANT, outcomeCount } from '../domain/results/counters';
import { sendTagOf } from '../domain/sending/sesTags';
import { logger } from '../shared/logger';
import { countQuietly, type ResultsRecorder } from './countResults';

/**
 * Sends whose process died between SES taking the email and the record (kill -9, a Lambda timeout) are
 * settled by SES's own word. Its delivery, bounce or complaint event carries the tags the send set
 * (sesTags.ts: customer, campaign, journey, send), which name the job and the very send:
 *
 * - the job is still `sending` (its claim has not timed out yet): SES's word is noted on it, and when the
 *   claim times out it is recorded as sent instead of as an unknown outcome;
 * - the job was closed as `failed: unknown-outcome`: it becomes sent now — the journey goes on to its
 *   next step as if the record had been written, and the results move it from unknown to sent.
 *
 * Anything else (the send was recorded as usual, the journey moved on) is left alone.
 */
export interface SendConfirmationDeps {
  jobs: Pick<Jobs, 'getJob' | 'noteSesAccepted' | 'recordConfirmed'>;
  catalog: Catalog;
  clock: Clock;
  stats?: ResultsRecorder;
}

/** What an SES event says of the send it is about. */
export interface SesSendRef {
  customerId: string;
  campaignId: string;
  journeyKey: string;
  sendTag: string;
  variant?: string;
  messageId: string;
  /** When SES accepted the email (`mail.timestamp`). */
  acceptedAt: string;
  /** Whether the email went with open and click tracking (its `tracking` tag). */
  tracked?: boolean;
}

export type ConfirmationResult = 'confirmed' | 'noted' | 'ignored';

export async function confirmFromSes(ref: SesSendRef, deps: SendConfirmationDeps): Promise<ConfirmationResult> {
  const job = await deps.jobs.getJob(ref.customerId, jobIdFor(ref.campaignId, ref.journeyKey));
  if (!job || sendTagOf(job) !== ref.sendTag) return 'ignored';
  if (job.status === 'sending') {
    if (job.sesMessageId) return 'ignored';
    return (await deps.jobs.noteSesAccepted(job, ref.messageId, ref.acceptedAt)) ? 'noted' : 'ignored';
  }
  if (job.status !== 'failed' || job.reasonDetail !== 'unknown-outcome') return 'ignored';
  const campaign = await deps.catalog.campaign(job.campaignId);
  if (!(await recordSesConfirmed(job, campaign, ref.messageId, ref.acceptedAt, deps, ref.variant, ref.tracked))) return 'ignored';
  const now = isoNow(deps.clock);
  await countQuietly(deps.stats, [confirmedCount(job, armOf(job.customerId, campaign), job.endedAt ?? now, ref.tracked)], now, {
    customerId: job.customerId,
    what: 'confirmed',
  });
  logger.info('send of unknown outcome confirmed by SES', { customerId: job.customerId, jobId: job.jobId });
  return 'confirmed';
}

/**
 * A claim that timed out on a job SES had already confirmed: recorded and counted as sent, the record
 * its process would have written.
 */
export async function recordConfirmedAtTimeout(
  job: Job,
  campaign: Campaign | undefined,
  deps: Omit<SendConfirmationDeps, 'jobs'> & { jobs: Pick<Jobs, 'recordConfirmed'> },
): Promise<boolean> {
  const acceptedAt = job.sesAcceptedAt ?? isoNow(deps.clock);
  if (!(await recordSesConfirmed(job, campaign, job.sesMessageId!, acceptedAt, deps))) return false;
  const now = isoNow(deps.clock);
  await countQuietly(deps.stats, [outcomeCount(job, armOf(job.customerId, campaign), 'sent', undefined, acceptedAt)], now, {
    customerId: job.customerId,
    what: 'sent',
  });
  return true;
}

/** The job's next state and the send's log entry, from the job as it stands (sending, or closed unknown). */
function recordSesConfirmed(
  job: Job,
  campaign: Campaign | undefined,
  messageId: string,
  acceptedAt: string,
  deps: Omit<SendConfirmationDeps, 'jobs'> & { jobs: Pick<Jobs, 'recordConfirmed'> },
  variant?: string,
  tracking = false,
): Promise<boolean> {
  const { reason: _reason, reasonDetail: _detail, endedAt: _ended, sesMessageId: _m, sesAcceptedAt: _a, ...sent } = job;
  const asClaimed: Job = { ...sent, status: 'sending' };
  const next = advanceAfterSend(asClaimed, campaign, acceptedAt);
  const arm = variant ?? armOf(job.customerId, campaign);
  const entry = logEntryFor(asClaimed, 'sent', acceptedAt, {
    messageId,
    detail: 'confirmed-by-ses',
    tracking,
    ...(arm !== DEFAULT_VARIANT ? { variant: arm } : {}),
  });
  return deps.jobs.recordConfirmed(job, next, entry);
}
