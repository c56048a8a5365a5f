import { TemplateNotPublishedError } from '../ports/catalog';
import type { Jobs, SendFactsFromStore } from '../ports/jobs';
import type { SendMessage } from '../ports/queues';
import type { Campaign } from '../../domain/journeys/campaign';
import { durationToMillis } from '../../domain/time/duration';
import { isValidTimeZone } from '../../domain/time/timeZone';
import { capRulesFor, evaluateCap, takeSlot, type CapState } from '../../domain/pacing/frequencyCap';
import { sendKeyOf, type Job, type SkipReason } from '../../domain/journeys/job';
import { tracksEngagement, type Profile } from '../../domain/customers/profile';
import { quietHoursEnd } from '../../domain/pacing/quietHours';
import { MissingDataError } from '../../domain/rendering/context';
import { TemplateBudgetError, TemplateRenderError } from '../../domain/rendering/renderer';
import { RenderBudgetError } from '../../domain/rendering/renderBudget';
import { decidePacing, decideSend, PRIORITY_LOOKAHEAD_MS } from '../../domain/sending/sendDecision';
import { type AppConfig } from '../../shared/config';
import { armOf, outcomeCount, unknownOutcomeCount } from '../../domain/results/counters';
import { recordConfirmedAtTimeout } from '../sendConfirmation';
import { logger } from '../../shared/logger';
import { countQuietly } from '../countResults';
import { type SendJobDeps, type SendOutcome, type ReadyToClaim } from './types';
import { render, type ComposedEmail } from './compose';

/**
 * Phase 1, decide: the gate (still live? consent? suppressed? paused?), the render, and the pacing (quiet
 * hours, caps, priority) of one job, at send time. A job that does not go now ends here with its one
 * reason, recorded; one that goes leaves ready to claim, with the cap slot it would take.
 */

/** The gate, the render and the pacing of one job: an outcome (recorded), or a job ready to claim. */
export async function decide(
  deps: SendJobDeps,
  message: SendMessage,
  campaign: Campaign | undefined,
  facts: SendFactsFromStore,
  now: string,
): Promise<ReadyToClaim | SendOutcome> {
  const { jobs } = deps;
  const gate = decideSend({
    ...facts,
    expectedStepId: message.stepId,
    expectedInstanceId: message.instanceId,
    campaign,
    now,
    consentModel: deps.config.consentModel,
  });
  if (gate.outcome === 'ignore') return { outcome: 'ignored', detail: gate.detail };
  if (gate.outcome === 'expire-claim') {
    const job = facts.job!;
    // SES already said the email went (sendConfirmation.ts): the record its process never wrote.
    if (job.sesMessageId) {
      return (await recordConfirmedAtTimeout(job, campaign, deps))
        ? { outcome: 'sent', messageId: job.sesMessageId }
        : { outcome: 'ignored', detail: 'changed-meanwhile' };
    }
    // The process died mid-send: the email may have gone. Marketing mail is at most once, so it is not
    // resent; counted apart from failures until SES's own event settles it.
    logger.warn('abandoned send claim closed as unknown outcome', { customerId: message.customerId, jobId: message.jobId });
    if (await jobs.recordNotSent(job, 'failed', undefined, 'unknown-outcome', now)) {
      await countQuietly(deps.stats, [unknownOutcomeCount(job, armOf(job.customerId, campaign), now)], now, {
        customerId: job.customerId,
        what: 'unknown-outcome',
      });
    }
    return { outcome: 'failed', detail: 'unknown-outcome' };
  }
  if (gate.outcome === 'skip') return skip(deps, facts.job!, campaign, gate.reason, gate.detail, now);
  // Paused: held until resume (or skipped when the campaign says so). Read here, every time: a kill switch.
  if (await deps.catalog.paused(campaign!.id)) {
    if (campaign!.whenPaused === 'skip') return skip(deps, facts.job!, campaign, 'paused', 'campaign-paused', now);
    const held = await jobs.hold(facts.job!, now);
    return held ? { outcome: 'deferred', reason: 'paused' } : { outcome: 'ignored', detail: 'changed-meanwhile' };
  }

  // A flow filtered by a segment: the customer must still be in it now (an extra read of their partition).
  const segment = campaign!.trigger.segment;
  if (segment && deps.segments && !(await deps.segments.of([segment], message.customerId, now))[segment])
    return skip(deps, facts.job!, campaign, 'not-in-segment', `segment:${segment}`, now);

  const live = { job: facts.job!, campaign: campaign!, profile: facts.profile!, cart: facts.cart };
  const timeZone = timeZoneOf(live.profile, deps.config.defaultTimeZone);
  const tracking = tracksEngagement(live.profile, deps.config.trackingModel);
  let rendered: ComposedEmail & { unsubscribeUrl: string };
  try {
    rendered = await render(deps, live, timeZone, now);
  } catch (error) {
    if (error instanceof MissingDataError) return skip(deps, live.job, live.campaign, 'missing-data', error.fields.join(','), now);
    if (error instanceof TemplateBudgetError) {
      // The template's fault, not this customer's: skipped once, never retried; counted and alarmed (EmailsNotSent, reason render-budget).
      const { jobId, customerId } = live.job;
      logger.error('template went over its render budget', { jobId, customerId, template: error.template, version: error.version });
      const exceeded = error.cause instanceof RenderBudgetError ? error.cause.exceeded : 'budget';
      return skip(deps, live.job, live.campaign, 'render-budget', `${error.template}@${error.version}: ${exceeded}`, now);
    }
    // The step's template (or its pinned version) is not published: named, never a retry loop.
    if (error instanceof TemplateNotPublishedError) {
      return skip(deps, live.job, live.campaign, 'template-removed', `${error.template}${error.version ? `@${error.version}` : ''}`, now);
    }
    if (error instanceof TemplateRenderError) {
      logger.error('template failed to render', { jobId: live.job.jobId, customerId: live.job.customerId, error: error.message });
      if (await jobs.recordNotSent(live.job, 'failed', undefined, 'render-error', now))
        await countOutcome(deps, live.job, live.campaign, 'failed', undefined, now);
      return { outcome: 'failed', detail: 'render-error' };
    }
    throw error;
  }
  const ready = { live, caps: facts.caps, timeZone, sendKey: sendKeyOf(live.job), rendered, slots: undefined, tracking };
  return paced(deps, ready, now);
}

/**
 * Quiet hours and caps from the cap state the job carries; a deferral or skip is recorded here.
 * Transactional mail is exempt from both: it takes no slot.
 */
export async function paced(deps: SendJobDeps, ready: ReadyToClaim, now: string): Promise<ReadyToClaim | SendOutcome> {
  const { live } = ready;
  if (live.campaign.kind !== 'marketing') return { ...ready, slots: undefined };
  const pacing = await pace(deps, live.job, live.campaign, live.profile, ready.caps, ready.timeZone, now);
  if (pacing.outcome === 'defer') {
    const deferred = await deps.jobs.defer(live.job, pacing.until, pacing.reason, pacing.detail, now);
    return deferred
      ? { outcome: 'deferred', reason: pacing.reason, until: pacing.until }
      : { outcome: 'ignored', detail: 'changed-meanwhile' };
  }
  if (pacing.outcome === 'skip') return skip(deps, live.job, live.campaign, pacing.reason, pacing.detail, now);
  return {
    ...ready,
    slots: { next: takeSlot(ready.caps, { at: now, campaignId: live.campaign.id, sendKey: ready.sendKey }), expectedRev: ready.caps.rev },
  };
}

/**
 * Quiet hours first (a deferral costs no slot), then the caps, then who gets the last slot. Shared
 * with simulation, so what it predicts is what sending does.
 */
export async function pace(
  deps: { jobs: Pick<Jobs, 'higherPriorityDue'>; config: Pick<AppConfig, 'quietHours' | 'capRules'> },
  job: Job,
  campaign: Campaign,
  profile: Profile,
  caps: CapState,
  timeZone: string,
  now: string,
) {
  const quiet = campaign.quietHours === 'off' ? undefined : (campaign.quietHours ?? deps.config.quietHours);
  const quietUntil = quiet ? quietHoursEnd(new Date(now), timeZone, quiet, sendKeyOf(job)) : null;
  const cap = evaluateCap({
    state: caps,
    rules: capRulesFor(deps.config.capRules, profile.frequency),
    campaignId: campaign.id,
    minIntervalMs: campaign.minInterval ? durationToMillis(campaign.minInterval) : undefined,
    now,
  });
  const higherPriorityDue =
    !quietUntil && cap.allowed && cap.remainingAfter === 0 ? await deps.jobs.higherPriorityDue(job, now, PRIORITY_LOOKAHEAD_MS) : undefined;
  return decidePacing({ campaign, now, quietUntil, cap, higherPriorityDue });
}

export async function skip(
  deps: SendJobDeps,
  job: Job,
  campaign: Campaign | undefined,
  reason: SkipReason,
  detail: string,
  now: string,
): Promise<SendOutcome> {
  const recorded = await deps.jobs.recordNotSent(job, 'skipped', reason, detail, now);
  if (!recorded) return { outcome: 'ignored', detail: 'changed-meanwhile' };
  await countOutcome(deps, job, campaign, 'skipped', reason, now);
  return { outcome: 'skipped', reason, detail };
}

/** Counted only after the outcome's conditional write succeeded: that write is what makes it once. */
export function countOutcome(
  deps: SendJobDeps,
  job: Job,
  campaign: Campaign | undefined,
  outcome: 'failed' | 'skipped',
  reason: SkipReason | undefined,
  now: string,
): Promise<void> {
  return countQuietly(deps.stats, [outcomeCount(job, armOf(job.customerId, campaign), outcome, reason, now)], now, {
    customerId: job.customerId,
    what: outcome,
  });
}

export function timeZoneOf(profile: Profile, fallback: string): string {
  return profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : fallback;
}
