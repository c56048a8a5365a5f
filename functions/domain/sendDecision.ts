import type { Campaign } from './campaign';
import type { Job, SkipReason } from './job';
import { isLive } from './job';
import { hasConsent, type Cart, type Profile } from './profile';

/**
 * The gate every job passes at send time (not at schedule time): a withdrawal a second before the due
 * time stops the email. Returns exactly one outcome.
 */
export type SendDecision =
  | { outcome: 'send' }
  | { outcome: 'skip'; reason: SkipReason; detail: string }
  /** Nothing to do for this delivery: already handled, or moved to a later time. */
  | { outcome: 'ignore'; detail: 'not-live' | 'not-due' | 'stale-message' };

export interface SendFacts {
  job: Job | undefined;
  /** The step the message was enqueued for: a message for an earlier step is stale. */
  expectedStepId?: string;
  expectedInstanceId?: string;
  campaign: Campaign | undefined;
  profile: Profile | undefined;
  cart: Cart | undefined;
  now: string;
}

export function decideSend({ job, expectedStepId, expectedInstanceId, campaign, profile, cart, now }: SendFacts): SendDecision {
  if (!job || !isLive(job)) return { outcome: 'ignore', detail: 'not-live' };
  if ((expectedStepId && expectedStepId !== job.stepId) || (expectedInstanceId && expectedInstanceId !== job.instanceId)) {
    return { outcome: 'ignore', detail: 'stale-message' };
  }
  if (job.dueAt > now) return { outcome: 'ignore', detail: 'not-due' };
  if (!campaign) return { outcome: 'skip', reason: 'cancelled', detail: 'campaign-removed' };
  if (!profile) return { outcome: 'skip', reason: 'missing-data', detail: 'no-profile' };
  if (!profile.email) return { outcome: 'skip', reason: 'missing-data', detail: 'no-email' };
  if (!hasConsent(profile, job.topic)) return { outcome: 'skip', reason: 'no-consent', detail: job.topic };
  if (campaign.journeyKey === 'cartId' && (!cart || cart.items.length === 0)) {
    return { outcome: 'skip', reason: 'cancelled', detail: 'cart-empty' };
  }
  return { outcome: 'send' };
}
