import type { BroadcastMark, Campaign } from '../journeys/campaign';
import type { BroadcastDefinition } from './broadcast';

/** The one step of a broadcast's campaign form: its jobs, log entries and results rows name it. */
export const BROADCAST_STEP = 'broadcast';

/**
 * A broadcast as the send path sees it: a one-step marketing campaign with the broadcast's id, topic,
 * priority, holdout and variants, so every recipient passes exactly the gate, caps, quiet hours,
 * claim and record of a flow email, and its results are a campaign's. It is never a trigger: it lives
 * apart from the campaign list that events are matched against.
 */
export function campaignOfBroadcast(
  b: BroadcastDefinition,
  extra: { segmentName: string; segmentRule?: BroadcastMark['segmentRule']; subjects?: BroadcastMark['subjects']; cancelledAt?: string },
): Campaign {
  return {
    id: b.id,
    version: 1,
    name: b.name,
    kind: 'marketing',
    topic: b.topic,
    priority: b.priority,
    trigger: { event: 'broadcast' },
    journeyKey: 'customer',
    steps: [{ id: BROADCAST_STEP, delay: 'PT0S', template: b.template }],
    cancelOn: [],
    reentryAfter: 'P1D',
    requiredLevel: b.requiredLevel,
    whenCapped: 'skip',
    whenQuiet: b.whenQuiet === 'skip' ? 'skip' : 'defer',
    ...(b.quietHours ? { quietHours: b.quietHours } : {}),
    ...(b.variants ? { variants: b.variants } : {}),
    holdout: b.holdout,
    attributionWindow: b.attributionWindow,
    broadcast: {
      segment: b.segment,
      segmentName: extra.segmentName,
      ...(extra.segmentRule ? { segmentRule: extra.segmentRule } : {}),
      ...(extra.subjects && Object.keys(extra.subjects).length > 0 ? { subjects: extra.subjects } : {}),
      ...(extra.cancelledAt ? { cancelledAt: extra.cancelledAt } : {}),
    },
  };
}
