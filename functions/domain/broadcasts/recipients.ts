import type { Job } from '../journeys/job';
import { evaluateSegment, type SegmentSubject } from '../segments/evaluate';
import type { Segment } from '../segments/segment';
import { isValidTimeZone } from '../time/timeZone';
import { BROADCAST_STEP } from './campaignForm';
import { recipientInstant, waveOf, type SendAt } from './waves';

/** What a wave needs to know of its broadcast to pick recipients and make their jobs. */
export interface WaveFacts {
  broadcast: { id: string; topic: Job['topic']; template: string; priority: number; sendAt: SendAt };
  segment: Pick<Segment, 'match' | 'conditions'>;
  waveAt: string;
  previousWaveAt?: string;
  /** Customers without a valid zone of their own live here, as for quiet hours. */
  shopZone: string;
}

export interface WavePick {
  /** A job each for the customers of this wave: in the segment now, and due by the wave's start. */
  jobs: Job[];
  /** The earliest moment of a customer in the segment who is due after this wave. */
  nextAt?: string;
}

export const broadcastJobId = (broadcastId: string): string => `${broadcastId}#broadcast`;
/** One journey instance per wave: the send key still names one email per customer and broadcast (one job). */
export const waveInstanceId = (broadcastId: string, waveAt: string): string => `${broadcastId}@${waveAt}`;

/** Which customers of a page this wave sends to, evaluated now: the audience is live, never frozen earlier. */
export function pickRecipients(subjects: SegmentSubject[], facts: WaveFacts, now: string): WavePick {
  const { broadcast: b } = facts;
  const jobs: Job[] = [];
  let nextAt: string | undefined;
  for (const subject of subjects) {
    if (!evaluateSegment(facts.segment, subject, now, facts.shopZone).matches) continue;
    const { profile } = subject;
    const zone = profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : facts.shopZone;
    const instant = recipientInstant(b.sendAt, zone);
    const wave = waveOf(instant, facts.waveAt, facts.previousWaveAt);
    if (wave === 'later') nextAt = nextAt === undefined || instant < nextAt ? instant : nextAt;
    if (wave !== 'now') continue;
    jobs.push({
      customerId: profile.customerId,
      jobId: broadcastJobId(b.id),
      campaignId: b.id,
      campaignVersion: 1,
      topic: b.topic,
      journeyKey: 'broadcast',
      instanceId: waveInstanceId(b.id, facts.waveAt),
      stepIndex: 0,
      stepId: BROADCAST_STEP,
      template: b.template,
      priority: b.priority,
      // The recipient's own moment: "why" says when it was meant for them.
      anchorAt: instant,
      dueAt: now,
      lastEventAt: now,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }
  return { jobs, ...(nextAt ? { nextAt } : {}) };
}
