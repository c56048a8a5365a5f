import { TemplateNotPublishedError, type CatalogCache } from '../adapters/dynamo/catalogCache';
import { logEntryFor, type DeliveryLogEntry, type WhyFacts } from '../adapters/dynamo/deliveryLog';
import type { ClaimSlots, JobStore, SendFactsFromStore } from '../adapters/dynamo/jobStore';
import { PermanentSendError, TransientSendError, type Mailer } from '../adapters/ses/mailer';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { isoNow, type Clock } from '../adapters/clock';
import type { Campaign } from '../domain/campaign';
import { durationToMillis } from '../domain/duration';
import { isValidTimeZone } from '../domain/timeZone';
import { capRulesFor, evaluateCap, takeSlot, type CapState } from '../domain/frequencyCap';
import { sendKeyOf, type Job, type SkipReason } from '../domain/job';
import { advanceAfterSend } from '../domain/journeyPlanner';
import { DEFAULT_PERSONALIZATION, tracksEngagement, type Cart, type Profile } from '../domain/profile';
import { quietHoursEnd } from '../domain/quietHours';
import { trackingFor } from '../domain/rendering/links';
import { candidateContext, MissingDataError, pickDeclared, type Links, type Shop } from '../domain/rendering/context';
import { TemplateBudgetError, TemplateRenderError, type RenderedEmail } from '../domain/rendering/renderer';
import { RenderBudgetError } from '../domain/rendering/renderBudget';
import { decidePacing, decideSend, PRIORITY_LOOKAHEAD_MS } from '../domain/sendDecision';
import { assign } from '../domain/experiments';
import { recommend, type Recommendation } from '../domain/recommendations';
import type { ProductStore } from '../adapters/dynamo/productStore';
import { issueToken } from '../domain/unsubscribeToken';
import { linkAddressHash } from '../domain/addressHash';
import { whyScope } from '../domain/whyLink';
import { DEFAULT_BRAND_COLOR, type AppConfig } from '../shared/config';
import { readableOnWhite } from '../domain/brand';
import { confirmationTags, encodeCustomerTag } from '../domain/sesTags';
import { armOf, DEFAULT_VARIANT, outcomeCount, unknownOutcomeCount } from '../domain/results/counters';
import { recordConfirmedAtTimeout } from './sendConfirmation';
import { logger } from '../shared/logger';
import { toErrorContext } from '../shared/errors';
import { countQuietly, type ResultsRecorder } from './countResults';
import type { SegmentMembershipPort } from './segmentMembership';
import { chunksOf } from '../shared/chunks';
import { LOST_RACE, rereadingOnConflict } from '../shared/retry';

export interface SendJobDeps {
  jobs: JobStore;
  /** Product facts, for templates that declare `recommendations`. */
  products?: ProductStore;
  catalog: CatalogCache;
  mailer: Mailer;
  clock: Clock;
  tokenKey: () => Promise<Buffer>;
  /** Campaign results: each outcome is counted once, right after it is recorded. */
  stats?: ResultsRecorder;
  /** For campaigns whose trigger names a segment: is the customer still in it when the step is due? */
  segments?: SegmentMembershipPort;
  config: Pick<
    AppConfig,
    'fromAddress' | 'publicBaseUrl' | 'shopName' | 'shopPostalAddress' | 'defaultTimeZone' | 'capRules' | 'quietHours' | 'consentModel'
  > &
    Partial<Pick<AppConfig, 'trackingModel' | 'branding'>>;
}

export type SendOutcome =
  | { outcome: 'sent'; messageId: string }
  | { outcome: 'skipped' | 'failed'; reason?: string; detail: string }
  /** `until` is absent for a step held by a pause: it waits for resume, not for a time. */
  | { outcome: 'deferred'; reason: string; until?: string }
  | { outcome: 'ignored'; detail: string };

const campaignIdOf = (jobId: string): string => jobId.split('#')[0] ?? '';
const journeyKeyOf = (jobId: string): string => jobId.slice(jobId.indexOf('#') + 1);
const cartKeyOf = (campaign: Campaign | undefined, message: SendMessage): string | undefined =>
  campaign?.journeyKey === 'cartId' ? journeyKeyOf(message.jobId) : undefined;

/** Claims and records of a queue batch go to DynamoDB in transactions of up to this many jobs. */
const JOBS_PER_TRANSACTION = 10;

/** A job that passed the gate, rendered and paced: what its claim, its email and its record need. */
interface ReadyToClaim {
  live: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart };
  caps: CapState;
  timeZone: string;
  sendKey: string;
  rendered: ComposedEmail & { unsubscribeUrl: string };
  slots: ClaimSlots | undefined;
  /** Whether SES may track this email's opens and clicks: the customer's `tracking` consent, now. */
  tracking: boolean;
}

const isOutcome = <T extends object>(value: T | SendOutcome): value is SendOutcome => 'outcome' in value;

/**
 * Sends one due job, or records the one reason it does not send now. Everything is re-read and
 * re-checked here, at send time. Throws TransientSendError when SES did not take the email, so the
 * queue retries it.
 */
export async function sendJob(message: SendMessage, deps: SendJobDeps): Promise<SendOutcome> {
  const now = isoNow(deps.clock);
  const campaign = await deps.catalog.campaign(campaignIdOf(message.jobId));
  const facts = await deps.jobs.loadForSend(message.customerId, message.jobId, cartKeyOf(campaign, message), now);
  const ready = await decide(deps, message, campaign, facts, now);
  if (isOutcome(ready)) return ready;
  const claimed = await claimAlone(deps, ready, now);
  if (isOutcome(claimed)) return claimed;
  const sent = await deliver(deps, ready, claimed, now);
  if (isOutcome(sent)) return sent;
  await record(deps, sent);
  return countSent(deps, sent, now);
}

/**
 * A queue batch, with the guarantees of `sendJob` for each job and a few requests for all: one read of
 * every job's facts, one transaction for the claims, the emails in parallel, one transaction for the
 * records. A customer's first job in the batch goes with the others; a later one of the same customer
 * is sent alone once the batch's claims are settled, so it sees the cap slot the first took. A claim
 * the transaction could not make is decided again alone, as `sendJob` would: a job that moved on is
 * left, a cap that changed is re-read. Each job settles on its own: one failure fails only its record.
 */
export async function sendJobs(messages: SendMessage[], deps: SendJobDeps): Promise<PromiseSettledResult<SendOutcome>[]> {
  const firsts = new Set<number>();
  const customers = new Set<string>();
  messages.forEach((m, i) => {
    if (!customers.has(m.customerId)) firsts.add(i);
    customers.add(m.customerId);
  });
  const together = messages.map((m, i) => ({ message: m, i })).filter(({ i }) => firsts.has(i));
  const outcomes: Promise<SendOutcome>[] = new Array(messages.length);

  const now = isoNow(deps.clock);
  let claimsSettled: Promise<unknown>;
  try {
    const campaigns = await Promise.all(together.map(({ message }) => deps.catalog.campaign(campaignIdOf(message.jobId))));
    const facts = await deps.jobs.loadForSendAll(
      together.map(({ message }, n) => ({
        customerId: message.customerId,
        jobId: message.jobId,
        cartKey: cartKeyOf(campaigns[n], message),
      })),
      now,
    );
    const decided = together.map(({ message }, n) => decide(deps, message, campaigns[n], facts[n]!, now));
    const claims = claimTogether(deps, decided, now);
    claimsSettled = claims.then((each) => Promise.allSettled(each)).catch(() => undefined);
    const emails = together.map(async (_, n) => {
      const ready = await decided[n]!;
      if (isOutcome(ready)) return ready;
      // Every job that is ready has its claim.
      const claimed = await (await claims)[n]!;
      if (isOutcome(claimed)) return claimed;
      return deliver(deps, ready, claimed, now);
    });
    const recorded = recordTogether(deps, emails, now);
    together.forEach(({ i }, n) => (outcomes[i] = recorded[n]!));
  } catch (error) {
    // The batch's read failed as a whole (throttling, the network): each job is tried alone.
    logger.warn('batch read failed; sending its jobs one by one', toErrorContext(error));
    for (const { message, i } of together) outcomes[i] = sendJob(message, deps);
    claimsSettled = Promise.resolve();
  }
  messages.forEach((message, i) => {
    if (!firsts.has(i)) outcomes[i] = claimsSettled.then(() => sendJob(message, deps));
  });
  return Promise.allSettled(outcomes);
}

/** The gate, the render and the pacing of one job: an outcome (recorded), or a job ready to claim. */
async function decide(
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
async function paced(deps: SendJobDeps, ready: ReadyToClaim, now: string): Promise<ReadyToClaim | SendOutcome> {
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
 * The claim of one job. Cap conflicts mean another send for the same customer moved first: the caps are
 * read again and the job paced again from them (shared/retry.ts).
 */
async function claimAlone(deps: SendJobDeps, ready: ReadyToClaim, now: string, freshCaps = false): Promise<Job | SendOutcome> {
  return rereadingOnConflict(async (attempt) => {
    if (freshCaps || attempt > 0) {
      const again = await paced(deps, { ...ready, caps: await deps.jobs.getCaps(ready.live.job.customerId) }, now);
      if (isOutcome(again)) return again;
      ready = again;
    }
    const result = await deps.jobs.claim(ready.live.job, now, ready.slots);
    if ('claimed' in result) return result.claimed;
    if (result.conflict === 'job') return { outcome: 'ignored', detail: 'claimed-elsewhere' };
    return LOST_RACE;
  }, `frequency cap of ${ready.live.job.customerId}`);
}

/**
 * The claims of the jobs that are ready, in transactions of up to JOBS_PER_TRANSACTION (one job per
 * customer, as `sendJobs` arranges). A claim that fell with the transaction is made alone: a job that
 * failed its own condition is left as `sendJob` leaves it, one whose cap moved is paced again from a
 * fresh read, one that fell only with the others is claimed again as it was. If the transaction fails
 * as a whole, each is claimed alone.
 */
function claimTogether(
  deps: SendJobDeps,
  decided: Promise<ReadyToClaim | SendOutcome>[],
  now: string,
): Promise<(Promise<Job | SendOutcome> | undefined)[]> {
  return Promise.allSettled(decided).then((settled) => {
    const results: (Promise<Job | SendOutcome> | undefined)[] = settled.map(() => undefined);
    const ready = settled.flatMap((s, n) => (s.status === 'fulfilled' && !isOutcome(s.value) ? [{ ready: s.value, n }] : []));
    for (const chunk of chunksOf(ready, JOBS_PER_TRANSACTION)) {
      const claimed =
        chunk.length === 1
          ? Promise.resolve([undefined])
          : deps.jobs
              .claimAll(
                chunk.map(({ ready }) => ({ job: ready.live.job, slots: ready.slots })),
                now,
              )
              .catch((error: unknown) => {
                logger.warn('batch claim failed; claiming its jobs one by one', toErrorContext(error));
                return chunk.map(() => undefined);
              });
      chunk.forEach(({ ready, n }, k) => {
        results[n] = claimed.then((all) => {
          const result = all[k];
          if (result === undefined) return claimAlone(deps, ready, now);
          if ('claimed' in result) return result.claimed;
          if (result.conflict === 'job') return { outcome: 'ignored', detail: 'claimed-elsewhere' } as const;
          return claimAlone(deps, ready, now, result.conflict === 'caps');
        });
      });
    }
    // Awaited later, after other awaits: marked handled here so a rejection waits for its reader.
    for (const r of results) r?.catch(() => undefined);
    return results;
  });
}
/** A sent email, before its record: the claimed job, its next state and its log entry. */
interface SentEmail {
  claimed: Job;
  next: Job;
  entry: DeliveryLogEntry;
  messageId: string;
  variant?: string;
  tracking: boolean;
}

/**
 * The email to SES, for a claimed job. A refusal ends the job as failed and returns the slot; when SES
 * did not take it, claim and slot are handed back and TransientSendError is thrown, so the queue's
 * retry sends it, exactly once.
 */
async function deliver(
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

/**
 * The records of a batch's sent emails, in transactions of up to JOBS_PER_TRANSACTION jobs once every
 * email of the batch is back (or the stragglers' wait is over: each of those is recorded alone when it
 * comes back). When a transaction fails (one job's condition, or as a whole), each of its jobs is
 * recorded alone, as `sendJob` records it. Each outcome is counted after its record.
 */
function recordTogether(deps: SendJobDeps, emails: Promise<SentEmail | SendOutcome>[], now: string): Promise<SendOutcome>[] {
  const recorded = backTogether(emails).then(async (back) => {
    const sent = back.flatMap((email, n) => (email !== undefined && !isOutcome(email) ? [{ email, n }] : []));
    const together = new Set<number>();
    await Promise.all(
      chunksOf(sent, JOBS_PER_TRANSACTION)
        .filter((chunk) => chunk.length > 1)
        .map(async (chunk) => {
          try {
            await deps.jobs.recordSentAll(chunk.map(({ email }) => email));
            for (const { n } of chunk) together.add(n);
          } catch (error) {
            logger.warn('batch record failed; recording its sends one by one', toErrorContext(error));
          }
        }),
    );
    return together;
  });
  return emails.map(async (email, n) => {
    const sent = await email;
    if (isOutcome(sent)) return sent;
    if (!(await recorded).has(n)) await record(deps, sent);
    return countSent(deps, sent, now);
  });
}

/**
 * How long a batch's record waits, after its first email is back, for the rest: SES answers in tens
 * of milliseconds, so a call still out by then is hung, and the emails already sent are recorded
 * without it (a hung call would otherwise hold them unrecorded until the function timed out, and
 * they would then close as "unknown outcome").
 */
const STRAGGLER_WAIT_MS = 2000;

/**
 * The emails back once all are, or once the stragglers' wait is over: those not back by then as
 * undefined. The wait starts with the first email SES took, not the first outcome: a job skipped or
 * deferred is back before any claim is made.
 */
async function backTogether(emails: Promise<SentEmail | SendOutcome>[]): Promise<(SentEmail | SendOutcome | undefined)[]> {
  const back: (SentEmail | SendOutcome | undefined)[] = new Array(emails.length);
  let firstSent!: () => void;
  const oneSent = new Promise<void>((resolve) => (firstSent = resolve));
  const arrivals = emails.map((email, n) =>
    email.then(
      (value) => {
        back[n] = value;
        if (!isOutcome(value)) firstSent();
      },
      () => undefined,
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const waitedEnough = oneSent.then(() => new Promise<void>((resolve) => (timer = setTimeout(resolve, STRAGGLER_WAIT_MS).unref())));
  await Promise.race([Promise.all(arrivals), waitedEnough]);
  clearTimeout(timer);
  return [...back];
}

async function countSent(deps: SendJobDeps, sent: SentEmail, now: string): Promise<SendOutcome> {
  const count = outcomeCount(sent.claimed, sent.variant ?? DEFAULT_VARIANT, 'sent', undefined, now, sent.tracking);
  await countQuietly(deps.stats, [count], now, { customerId: sent.claimed.customerId, what: 'sent' });
  return { outcome: 'sent', messageId: sent.messageId };
}

async function render(
  deps: SendJobDeps,
  live: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart },
  timeZone: string,
  now: string,
): Promise<ComposedEmail & { unsubscribeUrl: string }> {
  const { job } = live;
  // The link names its email, so an unsubscribe counts for it; the variant is the one composeEmail picks.
  const email = { campaignId: job.campaignId, stepId: job.stepId, variant: armOf(job.customerId, live.campaign) };
  const key = await deps.tokenKey();
  // The links name the address they go to, so they stop showing data once the customer's address changes.
  const address = linkAddressHash(live.profile.email!, key);
  const issuedAt = Math.floor(Date.parse(now) / 1000);
  const token = issueToken({ customerId: job.customerId, scope: job.topic, issuedAt, email, address }, key);
  // The /why link names this very email (its log entry), so the page shows what this one relied on.
  const why = issueToken({ customerId: job.customerId, scope: whyScope(now, job.jobId), issuedAt, email, address }, key);
  const base = deps.config.publicBaseUrl;
  const links = { unsubscribe: `${base}/u/${token}`, preferences: `${base}/preferences/${token}`, why: `${base}/why/${why}` };
  return { ...(await composeEmail(deps, live, links, timeZone, now)), unsubscribeUrl: links.unsubscribe };
}

export interface ComposedEmail {
  email: RenderedEmail;
  fieldsUsed: string[];
  templateVersion: string;
  variant?: string;
  template: string;
}

/**
 * What one customer gets from one job step: variant, template, declared fields, incentive, product,
 * recommendations. The one place emails are composed, for sending and for simulation alike.
 */
export async function composeEmail(
  deps: Pick<SendJobDeps, 'catalog' | 'jobs' | 'products'> & {
    config: Pick<AppConfig, 'shopName' | 'shopPostalAddress'> & Partial<Pick<AppConfig, 'branding'>>;
  },
  { job, campaign, profile, cart }: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart },
  links: Links,
  timeZone: string,
  now: string,
): Promise<ComposedEmail> {
  const assignment = assign(job.customerId, campaign);
  const variant = assignment.heldOut ? undefined : assignment.variant;
  const step = campaign.steps[job.stepIndex];
  const templateName = variant?.template ?? job.template;
  // A variant that swaps the template follows that template's latest; the step's pin is for its own.
  const template = await deps.catalog.template(templateName, variant?.template ? undefined : step?.templateVersion);
  const incentive =
    step?.incentive && profile.loyalty && step.incentive.tiers.includes(profile.loyalty.tier)
      ? { code: step.incentive.code, percent: step.incentive.percent }
      : undefined;
  const candidate = candidateContext({
    profile,
    cart,
    consent: job.topic === 'transactional' ? undefined : profile.consent[job.topic],
    links,
    shop: shopOf(deps.config),
    step: step?.params,
    incentive,
    product: job.product,
    recommendations: 'recommendations' in template.fields ? await recommendationsFor(deps, profile, cart, now) : undefined,
  });
  const { context, fieldsUsed } = pickDeclared(candidate, template.fields, profile.personalization);
  const subjectSource = variant?.subject?.[profile.locale] ?? variant?.subject?.en;
  const subject = subjectSource === undefined ? undefined : await deps.catalog.variantSubject(campaign.id, subjectSource);
  const options = { subject, level: profile.personalization, tracking: trackingFor(campaign.id, job.stepId, variant?.id) };
  return {
    email: template.render(profile.locale, timeZone, context, options),
    fieldsUsed,
    templateVersion: template.version,
    variant: variant?.id,
    template: templateName,
  };
}

/**
 * Quiet hours first (a deferral costs no slot), then the caps, then who gets the last slot. Shared
 * with simulation, so what it predicts is what sending does.
 */
export async function pace(
  deps: { jobs: Pick<JobStore, 'higherPriorityDue'>; config: Pick<AppConfig, 'quietHours' | 'capRules'> },
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

/** Personal seeds only at level full ("also browsing, for recommendations"); bestsellers otherwise. */
async function recommendationsFor(
  deps: Pick<SendJobDeps, 'jobs' | 'products'>,
  profile: Profile,
  cart: Cart | undefined,
  now: string,
): Promise<Recommendation[]> {
  if (!deps.products) return [];
  const full = profile.personalization === 'full';
  const history = full ? await deps.jobs.purchaseAndViewHistory(profile.customerId, true, now) : { bought: [], viewed: [] };
  const [together, bestsellers] = await Promise.all([
    deps.products.together([...history.bought, ...history.viewed]),
    deps.products.bestsellers(),
  ]);
  const candidates = [...history.bought, ...history.viewed, ...bestsellers, ...[...together.values()].flatMap((m) => [...m.keys()])];
  const products = await deps.products.products(candidates);
  return recommend({ ...history, inCart: cart?.items.map((i) => i.sku) ?? [], together, products, bestsellers });
}

/** The shop as templates see it: name, postal address and branding (its colour made to read on white). */
export function shopOf(config: Pick<AppConfig, 'shopName' | 'shopPostalAddress'> & Partial<Pick<AppConfig, 'branding'>>): Shop {
  const b = config.branding;
  return {
    name: config.shopName,
    postalAddress: config.shopPostalAddress,
    brandColor: readableOnWhite(b?.brandColor ?? DEFAULT_BRAND_COLOR),
    ...(b?.logoUrl ? { logoUrl: b.logoUrl } : {}),
    ...(b?.supportAddress ? { supportAddress: b.supportAddress } : {}),
  };
}

export function timeZoneOf(profile: Profile, fallback: string): string {
  return profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : fallback;
}

async function skip(
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
function countOutcome(
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

/**
 * The email is out; the record must follow (transient failures are the DynamoDB client's to retry). If
 * it cannot be written the job stays `sending` until its claim times out and is closed as an unknown
 * outcome: for marketing mail we choose at most once.
 */
async function record(deps: SendJobDeps, { claimed, next, entry }: SentEmail): Promise<void> {
  try {
    await deps.jobs.recordSent(claimed, next, entry);
  } catch (error) {
    logger.error('sent email could not be recorded; job left in sending', {
      jobId: claimed.jobId,
      customerId: claimed.customerId,
      ...toErrorContext(error),
    });
    throw error;
  }
}
