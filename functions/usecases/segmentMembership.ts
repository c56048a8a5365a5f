import { evaluateSegment, type SegmentSubject } from '../domain/segments/evaluate';
import type { Segment } from '../domain/segments/facts';

/**
 * Whether one customer is in some segments now: for a campaign whose trigger is filtered by a segment
 * (`trigger.segment`), when the event arrives and again when a step is due. One read of the customer's
 * partition answers every segment asked (the wiring caches definitions: cachedSegmentDefinitions).
 */
export interface SegmentMembershipPort {
  of(segmentIds: readonly string[], customerId: string, now: string): Promise<Record<string, boolean>>;
}

export class SegmentMembership implements SegmentMembershipPort {
  constructor(
    private readonly deps: {
      segments: { get(id: string): Promise<Segment | undefined> };
      subjects: { subject(customerId: string, now: string): Promise<SegmentSubject | undefined> };
      /** The shop's zone: "within P1D" counts in its calendar. */
      timeZone: string;
    },
  ) {}

  /** Each segment asked: true when the customer is in it; false when not, or when no such segment is saved. */
  async of(segmentIds: readonly string[], customerId: string, now: string): Promise<Record<string, boolean>> {
    const ids = [...new Set(segmentIds)];
    if (ids.length === 0) return {};
    const [segments, subject] = await Promise.all([
      Promise.all(ids.map((id) => this.deps.segments.get(id))),
      this.deps.subjects.subject(customerId, now),
    ]);
    return Object.fromEntries(
      ids.map((id, n) => {
        const segment = segments[n];
        return [id, Boolean(segment && subject && evaluateSegment(segment, subject, now, this.deps.timeZone).matches)];
      }),
    );
  }
}
