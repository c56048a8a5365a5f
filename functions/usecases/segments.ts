import type { ChangeLog } from './ports/changeLog';
import { type Clock, isoNow } from './ports/clock';
import type { Principal } from '../domain/authoring/roles';
import { describeCondition, describeSegment } from '../domain/segments/describe';
import { evaluateSegment, type SegmentSubject } from '../domain/segments/evaluate';
import type { Segment, SegmentCondition } from '../domain/segments/segment';
import { NotFoundError } from '../shared/errors';

/** Where a segment's customers are read from: scan segments of the customers table, read in parallel. */
export interface Audience {
  customers(segment: number, totalSegments: number, now: string): AsyncIterable<SegmentSubject[]>;
}

/** Where segment definitions are kept (SegmentStore). */
export interface SegmentDefinitions {
  put(segment: Segment, actor: string, now: string): Promise<void>;
  get(id: string): Promise<Segment | undefined>;
  list(): Promise<Segment[]>;
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

export class UnknownSegmentError extends NotFoundError {
  override name = 'UnknownSegmentError';
  constructor(readonly segmentId: string) {
    super(`no segment named ${segmentId}`, 'id');
  }
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

/** What a saved segment's answer says: it is valid (invalid ones are refused), and what to keep in mind. */
export interface SegmentValidation {
  ok: true;
  errors: [];
  warnings: { part: string; message: string }[];
}

/** Things that are valid but may surprise: said once, when the segment is saved. */
export function segmentWarnings(segment: Segment): SegmentValidation['warnings'] {
  const warnings: SegmentValidation['warnings'] = [];
  segment.conditions.forEach((c, i) => {
    if (c.fact === 'views.category' && !(c.op === 'exists' && c.value === false) && c.op !== 'ne')
      warnings.push({
        part: `conditions[${i}]`,
        message: 'views are kept only for customers at personalization level full: nobody else matches this condition',
      });
    if (c.fact.startsWith('consent.') && c.op !== 'eq')
      warnings.push({
        part: `conditions[${i}]`,
        message: "a broadcast still needs the customer's consent to its own topic when it sends, whatever this condition says",
      });
  });
  return warnings;
}

export interface SaveSegmentDeps {
  segments: SegmentDefinitions;
  changes: Pick<ChangeLog, 'record'>;
  clock: Clock;
}

/** Saves a (validated) segment and notes it in the change log, as a sentence. */
export async function saveSegment(
  segment: Segment,
  principal: Principal,
  deps: SaveSegmentDeps,
): Promise<{ id: string; validation: SegmentValidation; description: string }> {
  const now = isoNow(deps.clock);
  const existed = (await deps.segments.get(segment.id)) !== undefined;
  await deps.segments.put(segment, principal.actor, now);
  const description = describeSegment(segment);
  await deps.changes.record({
    at: now,
    actor: principal.actor,
    action: 'segment-saved',
    subject: `segment:${segment.id}`,
    summary: `${existed ? 'changed' : 'created'}: ${description}`,
  });
  return { id: segment.id, validation: { ok: true, errors: [], warnings: segmentWarnings(segment) }, description };
}

/** The preview of a saved segment. */
export async function previewSavedSegment(
  id: string,
  deps: SegmentPreviewDeps & { segments: Pick<SegmentDefinitions, 'get'> },
): Promise<SegmentPreview> {
  const segment = await deps.segments.get(id);
  if (!segment) throw new UnknownSegmentError(id);
  return previewSegment(segment, deps);
}
