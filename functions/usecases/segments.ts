import type { Clock } from '../adapters/clock';
import { isoNow } from '../adapters/clock';
import { describeCondition } from '../domain/segments/describe';
import { evaluateSegment, type SegmentSubject } from '../domain/segments/evaluate';
import type { Segment, SegmentCondition } from '../domain/segments/segment';

/** Where a segment's customers are read from: scan segments of the customers table, read in parallel. */
export interface Audience {
  customers(segment: number, totalSegments: number, now: string): AsyncIterable<SegmentSubject[]>;
}

export interface SegmentPreviewDeps {
  audience: Audience;
  clock: Clock;
  /** The shop's zone: "within P1D" counts in its calendar. */
  timeZone: string;
  /** Parallel scan segments (DynamoDB allows up to 1,000,000; a few per Lambda or process). */
  scanSegments?: number;
}

export interface SegmentPreview {
  count: number;
  /** A few matching customers, each with the conditions that held for them (codes and words). */
  sample: { customerId: string; matched: (SegmentCondition & { text: string })[] }[];
}

/** How many customers match now, and a few of them: the whole table is read, as a send would. */
export async function previewSegment(
  segment: Pick<Segment, 'match' | 'conditions'>,
  deps: SegmentPreviewDeps,
  sampleSize = 10,
): Promise<SegmentPreview> {
  const now = isoNow(deps.clock);
  const total = deps.scanSegments ?? 4;
  const sample: SegmentPreview['sample'] = [];
  const counts = await Promise.all(
    Array.from({ length: total }, async (_, part) => {
      let count = 0;
      for await (const page of deps.audience.customers(part, total, now)) {
        for (const subject of page) {
          const { matches, matched } = evaluateSegment(segment, subject, now, deps.timeZone);
          if (!matches) continue;
          count++;
          if (sample.length < sampleSize)
            sample.push({ customerId: subject.profile.customerId, matched: matched.map((c) => ({ ...c, text: describeCondition(c) })) });
        }
      }
      return count;
    }),
  );
  sample.sort((a, b) => a.customerId.localeCompare(b.customerId));
  return { count: counts.reduce((a, b) => a + b, 0), sample };
}
