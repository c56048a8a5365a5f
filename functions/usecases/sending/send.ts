import { type WhyFacts, logEntryFor } from '../../domain/sending/deliveryLog';
import { PermanentSendError, TransientSendError } from '../ports/mailer';
import type { Campaign } from '../../domain/journeys/campaign';
import { type Job } from '../../domain/journeys/job';
import { advanceAfterSend } from '../../domain/journeys/journeyPlanner';
import { DEFAULT_PERSONALIZATION, type Cart, type Profile } from '../../domain/customers/profile';
import { confirmationTags, encodeCustomerTag } from '../../domain/sending/sesTags';
import { DEFAULT_VARIANT } from '../../domain/results/counters';
import { logger } from '../../shared/logger';
import { type SendJobDeps, type SendOutcome, type ReadyToClaim, type SentEmail } from './types';
import { countOutcome } from './decide';

/**
 * Phase 3, send: the email to SES, for a claimed job, and the log entry it will be recorded with.
 */

/**
 * The email to SES, for a claimed job. A refusal ends the job as failed and returns the slot; when SES
 * did not take it, claim and slot are handed back and TransientSendError is thrown, so the queue's
 * retry sends it, exactly once.
 */
export async function deliver(
  deps: SendJobDeps,
  { live, rendered, sendKey, tracking }: ReadyToClaim,
  claimed: Job,
  now: string,
): Promise<SentEmail | SendOutcome> {
  const { jobs } = deps;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      to: live.profile.email!,
      from: deps.config.fromAddress,
      ...rendered.email,
      headers:
        live.campaign.kind === 'marketing'
          ? [
              { name: 'List-Unsubscribe', value: `<${rendered.unsubscribeUrl}>` },
              { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
            ]
          : [],
      tags: [
        { name: 'campaign', value: claimed.campaignId },
        { name: 'step', value: claimed.stepId },
        // Lets SES events (deliveries, opens, clicks) count for the right row of the campaign results.
        { name: 'variant', value: rendered.variant ?? DEFAULT_VARIANT },
        // Lets SES feedback (bounces, complaints) find the customer without reading the address.
        { name: 'customer', value: encodeCustomerTag(claimed.customerId) },
        // Lets SES's own events settle this send if its record is never written (sendConfirmation.ts).
        ...confirmationTags(claimed),
        // Deliveries count among tracked recipients or not; opens and clicks only count when "on".
        { name: 'tracking', value: tracking ? 'on' : 'off' },
      ],
      tracking,
    }));
  } catch (error) {
    if (error instanceof PermanentSendError) {
      logger.warn('email refused by SES', { jobId: claimed.jobId, customerId: claimed.customerId, code: error.code });
      if (await jobs.recordNotSent(claimed, 'failed', undefined, error.code, now))
        await countOutcome(deps, claimed, live.campaign, 'failed', undefined, now);
      await jobs.returnSlot(claimed.customerId, sendKey, now);
      return { outcome: 'failed', detail: error.code };
    }
    // Not taken by SES: hand claim and slot back so the queue's retry can send it, exactly once. A claim
    // left behind (DynamoDB failing past its client's retries) closes as an unknown outcome at its timeout.
    await jobs.releaseClaim(claimed, sendKey, now);
    throw error instanceof TransientSendError ? error : new TransientSendError('Unknown', error);
  }
  const entry = logEntryFor(claimed, 'sent', now, {
    messageId,
    variant: rendered.variant,
    template: rendered.template,
    templateVersion: rendered.templateVersion,
    fieldsUsed: rendered.fieldsUsed,
    tracking,
    why: whyFacts(live),
  });
  return { claimed, next: advanceAfterSend(claimed, live.campaign, now), entry, messageId, variant: rendered.variant, tracking };
}

/** What the email relied on, kept in its log entry for the /why page: the facts as they were when it went. */
function whyFacts({ job, campaign, profile, cart }: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart }): WhyFacts {
  const consent = job.topic === 'transactional' ? undefined : profile.consent[job.topic];
  return {
    campaignName: campaign.name,
    trigger: { event: campaign.trigger.event, at: job.anchorAt },
    ...(campaign.broadcast ? { audience: campaign.broadcast.segmentName } : {}),
    ...(cart ? { cart: { updatedAt: cart.updatedAt, itemCount: cart.items.reduce((n, i) => n + i.qty, 0) } } : {}),
    level: profile.personalization ?? DEFAULT_PERSONALIZATION,
    ...(consent && job.topic !== 'transactional'
      ? { consent: { topic: job.topic, at: consent.at, source: consent.source, policyVersion: consent.policyVersion } }
      : {}),
  };
}
