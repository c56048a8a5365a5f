import type { CatalogCache } from '../adapters/dynamo/catalogCache';
import type { CustomerStore, SendRecord } from '../adapters/dynamo/customerStore';
import { PermanentSendError, TransientSendError, type Mailer } from '../adapters/ses/mailer';
import type { SendMessage } from '../adapters/queue/sendQueue';
import { isoNow, type Clock } from '../adapters/clock';
import type { Campaign } from '../domain/campaign';
import { advanceAfterSend } from '../domain/journeyPlanner';
import type { Job } from '../domain/job';
import { candidateContext, MissingDataError, pickDeclared } from '../domain/rendering/context';
import { TemplateRenderError, type RenderedEmail } from '../domain/rendering/renderer';
import { decideSend } from '../domain/sendDecision';
import { isValidTimeZone } from '../domain/events';
import { issueToken } from '../domain/unsubscribeToken';
import type { Profile } from '../domain/profile';
import type { AppConfig } from '../shared/config';
import { logger } from '../shared/logger';

export interface SendJobDeps {
  customers: CustomerStore;
  catalog: CatalogCache;
  mailer: Mailer;
  clock: Clock;
  tokenKey: () => Promise<Buffer>;
  config: Pick<AppConfig, 'fromAddress' | 'publicBaseUrl' | 'shopName' | 'shopPostalAddress' | 'defaultTimeZone'>;
}

export type SendOutcome =
  | { outcome: 'sent'; messageId: string }
  | { outcome: 'skipped' | 'failed'; reason?: string; detail: string }
  | { outcome: 'ignored'; detail: string };

const campaignIdOf = (jobId: string): string => jobId.split('#')[0] ?? '';
const journeyKeyOf = (jobId: string): string => jobId.slice(jobId.indexOf('#') + 1);

/**
 * Sends one due job, or records the one reason it is not sent. Everything is re-read and re-checked
 * here, at send time. Throws TransientSendError when SES did not take the email, so the queue retries.
 */
export async function sendJob(message: SendMessage, deps: SendJobDeps): Promise<SendOutcome> {
  const { customers, catalog, clock } = deps;
  const now = isoNow(clock);
  const campaign = await catalog.campaign(campaignIdOf(message.jobId));
  const cartKey = campaign?.journeyKey === 'cartId' ? journeyKeyOf(message.jobId) : undefined;
  const { job, profile, cart } = await customers.loadForSend(message.customerId, message.jobId, cartKey);

  const decision = decideSend({ job, expectedStepId: message.stepId, expectedInstanceId: message.instanceId, campaign, profile, cart, now });
  if (decision.outcome === 'ignore') return { outcome: 'ignored', detail: decision.detail };
  const liveJob = job!;
  if (decision.outcome === 'skip') return skip(deps, liveJob, decision.reason, decision.detail, now);

  const sendProfile = profile!;
  let rendered: RenderedEmail;
  let fieldsUsed: string[];
  let templateVersion: string;
  const token = issueToken({ customerId: liveJob.customerId, scope: liveJob.topic, issuedAt: Math.floor(Date.parse(now) / 1000) }, await deps.tokenKey());
  const links = { unsubscribe: `${deps.config.publicBaseUrl}/u/${token}`, preferences: `${deps.config.publicBaseUrl}/preferences/${token}` };
  try {
    const template = await catalog.template(liveJob.template);
    templateVersion = template.version;
    const candidate = candidateContext({
      profile: sendProfile,
      cart,
      consent: sendProfile.consent[liveJob.topic],
      links,
      shop: { name: deps.config.shopName, postalAddress: deps.config.shopPostalAddress },
    });
    const picked = pickDeclared(candidate, template.fields);
    fieldsUsed = picked.fieldsUsed;
    rendered = template.render(sendProfile.locale, timeZoneOf(sendProfile, deps.config.defaultTimeZone), picked.context);
  } catch (error) {
    if (error instanceof MissingDataError) return skip(deps, liveJob, 'missing-data', error.fields.join(','), now);
    if (error instanceof TemplateRenderError) {
      logger.error('template failed to render', { jobId: liveJob.jobId, customerId: liveJob.customerId, error: error.message });
      await customers.recordNotSent(liveJob, 'failed', undefined, 'render-error', now);
      return { outcome: 'failed', detail: 'render-error' };
    }
    throw error;
  }

  const claimed = await customers.claimForSend(liveJob, now);
  if (!claimed) return { outcome: 'ignored', detail: 'claimed-elsewhere' };

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      to: sendProfile.email!,
      from: deps.config.fromAddress,
      ...rendered,
      headers: [
        { name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
      tags: [
        { name: 'campaign', value: claimed.campaignId },
        { name: 'step', value: claimed.stepId },
      ],
    }));
  } catch (error) {
    if (error instanceof PermanentSendError) {
      logger.warn('email refused by SES', { jobId: claimed.jobId, customerId: claimed.customerId, code: error.code });
      await customers.recordNotSent(claimed, 'failed', undefined, error.code, now);
      return { outcome: 'failed', detail: error.code };
    }
    // Not taken by SES: hand the claim back so the queue's retry can send it, exactly once.
    await customers.releaseClaim(claimed, now);
    throw error instanceof TransientSendError ? error : new TransientSendError('Unknown', error);
  }

  const record: SendRecord = {
    customerId: claimed.customerId,
    jobId: claimed.jobId,
    campaignId: claimed.campaignId,
    stepId: claimed.stepId,
    instanceId: claimed.instanceId,
    template: claimed.template,
    templateVersion,
    topic: claimed.topic,
    fieldsUsed,
    messageId,
    sentAt: now,
  };
  await recordWithRetry(deps, claimed, advanceAfterSend(claimed, campaign as Campaign, now), record);
  return { outcome: 'sent', messageId };
}

function timeZoneOf(profile: Profile, fallback: string): string {
  return profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : fallback;
}

async function skip(deps: SendJobDeps, job: Job, reason: NonNullable<Job['reason']>, detail: string, now: string): Promise<SendOutcome> {
  const recorded = await deps.customers.recordNotSent(job, 'skipped', reason, detail, now);
  return recorded ? { outcome: 'skipped', reason, detail } : { outcome: 'ignored', detail: 'changed-meanwhile' };
}

/**
 * The email is out; the record must follow. If it cannot be written the job stays `sending`, which
 * no retry will send again: for marketing mail we choose at most once (docs/sending.md).
 */
async function recordWithRetry(deps: SendJobDeps, claimed: Job, next: Job, record: SendRecord): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.customers.recordSent(claimed, next, record);
    } catch (error) {
      if (attempt >= 3) {
        logger.error('sent email could not be recorded; job left in sending', { jobId: claimed.jobId, customerId: claimed.customerId });
        throw error;
      }
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
