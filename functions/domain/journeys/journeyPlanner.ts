import { comesAfter } from '../events/eventOrder';
import type { Campaign, EventCondition } from './campaign';
import { allHold, eventFacts, type Facts } from './conditions';
import type { Profile } from '../customers/profile';
import type { ShopEvent } from '../events/events';
import { addMillis, durationToMillis } from '../time/duration';
import { isLive, jobIdFor, type Job } from './job';

/**
 * Decides what one shop event does to a customer's journeys: start, reschedule, keep or cancel.
 * Pure: the caller loads the customer's existing jobs and persists the result with conditional writes.
 */

export type JobChange = { kind: 'put'; job: Job; expectedVersion: number | null } | { kind: 'cancel'; job: Job; expectedVersion: number };

/** A journey is not started from an event this old: a week-old cart is not "abandoned a moment ago". */
export const STALE_TRIGGER_MS = 7 * 24 * 3600 * 1000;

const DEFAULT_KEY = 'default';

function matches(condition: EventCondition | undefined, event: ShopEvent): boolean {
  if (condition === undefined) return true;
  if (event.type !== 'cart.updated') return false;
  return condition === 'cart.hasItems' ? event.data.items.length > 0 : event.data.items.length === 0;
}

function productOf(event: ShopEvent): Pick<Job, 'product'> {
  if (event.type !== 'product.viewed') return {};
  const { sku, name, price, currency, url, imageUrl } = event.data;
  return { product: { sku, name, price, currency, ...(url ? { url } : {}), ...(imageUrl ? { imageUrl } : {}) } };
}

function cartIdOf(event: ShopEvent): string | undefined {
  return event.type === 'cart.updated' || event.type === 'order.placed' ? event.data.cartId : undefined;
}

function journeyKeyOf(campaign: Campaign, event: ShopEvent): string {
  switch (campaign.journeyKey) {
    case 'cartId':
      return cartIdOf(event) ?? DEFAULT_KEY;
    case 'orderId':
      return event.type === 'order.placed' ? event.data.orderId : DEFAULT_KEY;
    case 'tier':
      return event.type === 'loyalty.points_changed' ? event.data.tier : DEFAULT_KEY;
    default:
      return DEFAULT_KEY;
  }
}

function applies(
  rule: { event: string; when?: EventCondition; conditions?: Campaign['trigger']['conditions'] },
  event: ShopEvent,
  facts: Facts,
): boolean {
  return rule.event === event.type && matches(rule.when, event) && allHold(rule.conditions, facts);
}

/** Journey keys an event cancels: its own cart (and the keyless one), or every journey when it names no cart. */
function cancelledKeys(campaign: Campaign, event: ShopEvent, existing: Job[]): Set<string> {
  const own = existing.filter((j) => j.campaignId === campaign.id);
  const cartId = cartIdOf(event);
  if (campaign.journeyKey !== 'cartId' || cartId === undefined) return new Set(own.map((j) => j.journeyKey));
  return new Set([cartId, DEFAULT_KEY]);
}

/**
 * Whether an event may still change a job: not older than the newest event applied to it. At the same
 * instant the event id decides (eventOrder.ts); the event that last changed the job changes it again
 * (a redelivered trigger moves its reminder to the same time), so "not before" is "after, or the same".
 */
const notBefore = (anchorAt: string, eventId: string, job: Pick<Job, 'lastEventAt' | 'lastEventId'>): boolean =>
  eventId === job.lastEventId || comesAfter(anchorAt, eventId, { at: job.lastEventAt, eventId: job.lastEventId });

export function planJourneys(
  event: ShopEvent,
  campaigns: Campaign[],
  existing: Job[],
  now: string,
  previous?: Profile,
  recentViewSkus: string[] = [],
  /** Whether the customer is in each segment a trigger names (`trigger.segment`); one not given: not in it. */
  segmentMembership: Record<string, boolean> = {},
): JobChange[] {
  const changes: JobChange[] = [];
  const facts = eventFacts(event, previous, recentViewSkus);
  const byId = new Map(existing.map((j) => [j.jobId, j]));
  const nowMs = Date.parse(now);
  // Shops' clocks drift: an event "from the future" is anchored at now.
  const anchorAt = new Date(Math.min(Date.parse(event.occurredAt), nowMs)).toISOString();

  for (const campaign of campaigns) {
    for (const rule of campaign.cancelOn) {
      if (!applies(rule, event, facts)) continue;
      for (const key of cancelledKeys(campaign, event, existing)) {
        const job = byId.get(jobIdFor(campaign.id, key));
        if (!job || !isLive(job) || !notBefore(anchorAt, event.id, job)) continue;
        changes.push({
          kind: 'cancel',
          expectedVersion: job.version,
          job: {
            ...job,
            status: 'cancelled',
            reason: 'cancelled',
            reasonDetail: event.type,
            endedAt: now,
            lastEventAt: anchorAt,
            lastEventId: event.id,
            updatedAt: now,
            version: job.version + 1,
          },
        });
      }
    }

    if (!applies(campaign.trigger, event, facts)) continue;
    // A trigger filtered by a segment starts journeys of its members only (each step checks again when due).
    if (campaign.trigger.segment && !segmentMembership[campaign.trigger.segment]) continue;
    if (nowMs - Date.parse(anchorAt) > STALE_TRIGGER_MS) continue;
    const journeyKey = journeyKeyOf(campaign, event);
    const jobId = jobIdFor(campaign.id, journeyKey);
    const current = byId.get(jobId);
    const firstStep = campaign.steps[0]!;
    const dueAt = firstDueAt(firstStep, anchorAt, facts, now);
    if (dueAt === undefined) continue;

    if (current && !notBefore(anchorAt, event.id, current)) continue;
    if (current && isLive(current)) {
      // One live journey per key: a newer trigger moves the first step's reminder, never doubles it.
      if (current.stepIndex !== 0) continue;
      changes.push({
        kind: 'put',
        expectedVersion: current.version,
        job: {
          ...current,
          ...productOf(event),
          anchorAt,
          dueAt,
          lastEventAt: anchorAt,
          lastEventId: event.id,
          updatedAt: now,
          version: current.version + 1,
        },
      });
      continue;
    }
    if (current && current.status === 'sending') continue;
    if (current && current.status === 'sent' && current.endedAt) {
      const reentryAt = Date.parse(current.endedAt) + durationToMillis(campaign.reentryAfter);
      if (nowMs < reentryAt) continue;
    }
    changes.push({
      kind: 'put',
      expectedVersion: current ? current.version : null,
      job: {
        customerId: event.customerId,
        jobId,
        campaignId: campaign.id,
        campaignVersion: campaign.version,
        topic: campaign.topic,
        journeyKey,
        instanceId: event.id,
        stepIndex: 0,
        stepId: firstStep.id,
        template: firstStep.template,
        priority: campaign.priority,
        ...productOf(event),
        ...(cartIdOf(event) !== undefined ? { cartId: cartIdOf(event) } : {}),
        anchorAt,
        dueAt,
        lastEventAt: anchorAt,
        lastEventId: event.id,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
        version: (current?.version ?? 0) + 1,
      },
    });
  }
  return mergeChanges(changes);
}

/** A trigger and a cancel for the same job in one event (an emptied-then-filled cart cannot be both): the put wins. */
function mergeChanges(changes: JobChange[]): JobChange[] {
  const last = new Map<string, JobChange>();
  for (const change of changes) {
    const prior = last.get(change.job.jobId);
    if (prior?.kind === 'put' && change.kind === 'cancel') continue;
    if (prior?.kind === 'cancel' && change.kind === 'put') {
      last.set(change.job.jobId, { ...change, expectedVersion: prior.expectedVersion });
      continue;
    }
    last.set(change.job.jobId, change);
  }
  return [...last.values()];
}

/** A delay after the trigger, or a time before a date the trigger carries (never in the past, never past the date). */
function firstDueAt(step: Campaign['steps'][number], anchorAt: string, facts: Facts, now: string): string | undefined {
  if (step.delay !== undefined) return addMillis(anchorAt, durationToMillis(step.delay));
  const date = facts[step.dueBefore!.fact];
  if (typeof date !== 'string' || Date.parse(date) <= Date.parse(now)) return undefined;
  const due = Date.parse(date) - durationToMillis(step.dueBefore!.offset);
  return new Date(Math.max(due, Date.parse(now))).toISOString();
}

/** After a step was sent: the next step of the series, or the journey's end. */
export function advanceAfterSend(job: Job, campaign: Campaign | undefined, now: string): Job {
  const next = campaign?.steps[job.stepIndex + 1];
  if (!next) return { ...job, status: 'sent', endedAt: now, updatedAt: now, version: job.version + 1 };
  return {
    ...job,
    status: 'pending',
    stepIndex: job.stepIndex + 1,
    stepId: next.id,
    template: next.template,
    dueAt: addMillis(job.anchorAt, durationToMillis(next.delay ?? 'PT0S')),
    updatedAt: now,
    version: job.version + 1,
  };
}
