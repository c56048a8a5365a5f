import type { Campaign } from '../journeys/campaign';
import type { Job, SkipReason } from '../journeys/job';
import { CLAIM_TIMEOUT_MS, isLive } from '../journeys/job';
import {
  DEFAULT_PERSONALIZATION,
  hasConsent,
  isSuppressed,
  levelRank,
  OPT_IN_EVERYWHERE,
  type Cart,
  type ConsentModel,
  type Profile,
} from '../customers/profile';
import type { CapDecision } from '../pacing/frequencyCap';
import { holds, sendFacts } from '../journeys/conditions';
import { assign } from '../journeys/experiments';

/**
 * The gate every job passes at send time (not at schedule time): a withdrawal a second before the due
 * time stops the email. Returns exactly one outcome.
 */
export type SendDecision =
  | { outcome: 'send' }
  | { outcome: 'skip'; reason: SkipReason; detail: string }
  /** Nothing to do for this delivery: already handled, or moved to a later time. */
  | { outcome: 'ignore'; detail: 'not-live' | 'not-due' | 'stale-message' }
  /** A send claimed this job long ago and never finished: the outcome is unknown, so it is not retried. */
  | { outcome: 'expire-claim' };

export interface SendFacts {
  job?: Job;
  /** The step the message was enqueued for: a message for an earlier step is stale. */
  expectedStepId?: string;
  expectedInstanceId?: string;
  campaign?: Campaign;
  profile?: Profile;
  cart?: Cart;
  now: string;
  consentModel?: ConsentModel;
}

export function decideSend({
  job,
  expectedStepId,
  expectedInstanceId,
  campaign,
  profile,
  cart,
  now,
  consentModel = OPT_IN_EVERYWHERE,
}: SendFacts): SendDecision {
  if (job?.status === 'sending' && job.claimedAt && Date.parse(job.claimedAt) + CLAIM_TIMEOUT_MS <= Date.parse(now)) {
    return { outcome: 'expire-claim' };
  }
  if (!job || !isLive(job)) return { outcome: 'ignore', detail: 'not-live' };
  if ((expectedStepId && expectedStepId !== job.stepId) || (expectedInstanceId && expectedInstanceId !== job.instanceId)) {
    return { outcome: 'ignore', detail: 'stale-message' };
  }
  if (job.dueAt > now) return { outcome: 'ignore', detail: 'not-due' };
  if (!campaign) return { outcome: 'skip', reason: 'cancelled', detail: 'campaign-removed' };
  if (campaign.broadcast?.cancelledAt) return { outcome: 'skip', reason: 'cancelled', detail: 'broadcast-cancelled' };
  if (!profile) return { outcome: 'skip', reason: 'missing-data', detail: 'no-profile' };
  if (!profile.email) return { outcome: 'skip', reason: 'missing-data', detail: 'no-email' };
  const topic = job.topic;
  if (isSuppressed(profile, topic === 'transactional'))
    return { outcome: 'skip', reason: 'suppressed', detail: profile.suppression!.reason };
  if (topic !== 'transactional' && !hasConsent(profile, topic, consentModel))
    return { outcome: 'skip', reason: 'no-consent', detail: topic };
  if (levelRank(profile.personalization ?? DEFAULT_PERSONALIZATION) < levelRank(campaign.requiredLevel)) {
    return { outcome: 'skip', reason: 'level', detail: `needs ${campaign.requiredLevel}` };
  }
  if (assign(job.customerId, campaign).heldOut) return { outcome: 'skip', reason: 'held-out', detail: 'holdout' };
  const step = campaign.steps[job.stepIndex];
  // A newer version of the campaign dropped (or moved) the step this journey was waiting for.
  if (step?.id !== job.stepId) return { outcome: 'skip', reason: 'step-removed', detail: `step:${job.stepId}` };
  const facts = step?.conditions?.length ? sendFacts(profile, cart, job.journeyKey) : undefined;
  const failing = step?.conditions?.find((c) => !holds(c, facts!));
  if (failing) return { outcome: 'skip', reason: 'cancelled', detail: `condition:${failing.fact}` };
  if (campaign.journeyKey === 'cartId' && (!cart || cart.items.length === 0)) {
    return { outcome: 'skip', reason: 'cancelled', detail: 'cart-empty' };
  }
  return { outcome: 'send' };
}

/** How far ahead a higher-priority job counts as competing for the same slot. */
export const PRIORITY_LOOKAHEAD_MS = 15 * 60_000;
const YIELD_RECHECK_MS = 5 * 60_000;

export type PacingDecision =
  | { outcome: 'go' }
  | { outcome: 'defer'; until: string; reason: 'quiet-hours-deferred' | 'capped'; detail: string }
  | { outcome: 'skip'; reason: 'capped' | 'quiet-hours'; detail: string };

export interface PacingFacts {
  campaign: Campaign;
  now: string;
  /** The end of the recipient's quiet hours if now is inside them. */
  quietUntil: Date | null;
  cap: CapDecision;
  /** A live job of a higher-priority campaign due about now, when this send would take the last slot. */
  higherPriorityDue?: Job;
}

/**
 * After the gate: may it go now? Quiet hours defer (or skip, when the campaign says so); caps skip or defer as the campaign
 * says; the last free slot goes to the higher-priority campaign.
 */
export function decidePacing({ campaign, now, quietUntil, cap, higherPriorityDue }: PacingFacts): PacingDecision {
  if (quietUntil && campaign.whenQuiet === 'skip') return { outcome: 'skip', reason: 'quiet-hours', detail: 'quiet-hours' };
  if (quietUntil) return { outcome: 'defer', until: quietUntil.toISOString(), reason: 'quiet-hours-deferred', detail: 'quiet-hours' };
  let blocked: { detail: string; freeAt?: string } | undefined;
  if (!cap.allowed) blocked = { detail: cap.rule, freeAt: cap.freeAt };
  else if (cap.remainingAfter === 0 && higherPriorityDue) blocked = { detail: `yielded-to:${higherPriorityDue.campaignId}` };
  if (!blocked) return { outcome: 'go' };
  if (campaign.whenCapped === 'defer' && blocked.freeAt)
    return { outcome: 'defer', until: blocked.freeAt, reason: 'capped', detail: blocked.detail };
  // Yielded to a higher-priority send: look again shortly, when that send has taken (or left) the slot.
  if (campaign.whenCapped === 'defer')
    return {
      outcome: 'defer',
      until: new Date(Date.parse(now) + YIELD_RECHECK_MS).toISOString(),
      reason: 'capped',
      detail: blocked.detail,
    };
  return { outcome: 'skip', reason: 'capped', detail: blocked.detail };
}
