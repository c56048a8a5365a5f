import { createHash } from 'node:crypto';
import { sendKeyOf, type Job } from '../journeys/job';
/**
 * SES message-tag values allow only letters, digits, '_' and '-': customer ids travel base64url-encoded,
 * so bounce and complaint events name the customer without anyone reading the address.
 */
export const encodeCustomerTag = (customerId: string): string => Buffer.from(customerId, 'utf8').toString('base64url');
export const decodeCustomerTag = (tag: string): string => Buffer.from(tag, 'base64url').toString('utf8');

/** SES allows tag values of up to 256 characters. */
const MAX_TAG_VALUE = 256;

/**
 * The tags that let SES's own events settle a send whose process died before recording it: the journey
 * key (with the campaign tag it names the job) and a short hash of the send key (customer, campaign,
 * step and journey instance), so an event can only confirm the very send it is about. A journey key too
 * long for a tag is left out: such a send cannot be confirmed and stays an unknown outcome.
 */
export function confirmationTags(job: {
  customerId: string;
  campaignId: string;
  stepId: string;
  instanceId: string;
  journeyKey: string;
}): { name: string; value: string }[] {
  const journey = Buffer.from(job.journeyKey, 'utf8').toString('base64url');
  if (journey.length > MAX_TAG_VALUE) return [];
  return [
    { name: 'journey', value: journey },
    { name: 'send', value: sendTagOf(job) },
  ];
}

export const sendTagOf = (job: Pick<Job, 'customerId' | 'campaignId' | 'stepId' | 'instanceId'>): string =>
  createHash('sha256').update(sendKeyOf(job)).digest('base64url').slice(0, 22);

export const decodeJourneyTag = (tag: string): string => Buffer.from(tag, 'base64url').toString('utf8');
