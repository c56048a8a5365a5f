import { type DeliveryLogEntry } from '../../domain/sending/deliveryLog';
import { type Catalog } from '../ports/catalog';
import { type Clock } from '../ports/clock';
import type { ClaimSlots, SendingJobs } from '../ports/jobs';
import { type Mailer } from '../ports/mailer';
import type { Products } from '../ports/products';
import type { SendMessage } from '../ports/queues';
import type { Campaign } from '../../domain/journeys/campaign';
import { type CapState } from '../../domain/pacing/frequencyCap';
import { type Job } from '../../domain/journeys/job';
import { type Cart, type Profile } from '../../domain/customers/profile';
import { type AppConfig } from '../../shared/config';
import { type ResultsRecorder } from '../countResults';
import type { SegmentMembershipPort } from '../segmentMembership';
import { type ComposedEmail } from './compose';

/** What the send path's phases share: their ports, their outcomes, and a job between them. */

export interface SendJobDeps {
  jobs: SendingJobs;
  /** Product facts, for templates that declare `recommendations`. */
  products?: Products;
  catalog: Catalog;
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

export const campaignIdOf = (jobId: string): string => jobId.split('#')[0] ?? '';

const journeyKeyOf = (jobId: string): string => jobId.slice(jobId.indexOf('#') + 1);

export const cartKeyOf = (campaign: Campaign | undefined, message: SendMessage): string | undefined =>
  campaign?.journeyKey === 'cartId' ? journeyKeyOf(message.jobId) : undefined;

/** Claims and records of a queue batch go to DynamoDB in transactions of up to this many jobs. */
export const JOBS_PER_TRANSACTION = 10;

/** A job that passed the gate, rendered and paced: what its claim, its email and its record need. */
export interface ReadyToClaim {
  live: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart };
  caps: CapState;
  timeZone: string;
  sendKey: string;
  rendered: ComposedEmail & { unsubscribeUrl: string };
  slots: ClaimSlots | undefined;
  /** Whether SES may track this email's opens and clicks: the customer's `tracking` consent, now. */
  tracking: boolean;
}

export const isOutcome = <T extends object>(value: T | SendOutcome): value is SendOutcome => 'outcome' in value;

/** A sent email, before its record: the claimed job, its next state and its log entry. */
export interface SentEmail {
  claimed: Job;
  next: Job;
  entry: DeliveryLogEntry;
  messageId: string;
  variant?: string;
  tracking: boolean;
}
