/**
 * Broadcasts as their use cases need them: the broadcasts and their waves (BroadcastRecords), the audience read in
 * parallel-scan segments (AudienceScan), and the recipients made jobs (Recipients). adapters/dynamo/broadcastStore.ts,
 * audienceReader.ts and recipientJobs.ts implement them.
 */
import type { Campaign } from '../../domain/journeys/campaign';
import type { BroadcastDefinition } from '../../domain/broadcasts/broadcast';
import type { Segment } from '../../domain/segments/segment';
import { ConflictError } from '../../shared/errors';
import type { SegmentSubject } from '../../domain/segments/evaluate';
import type { Job } from '../../domain/journeys/job';

/**
 * Broadcasts and their waves. What a publisher decided is in the catalog table, which only the admin
 * function writes (the send path runs its templates' specs as code); how far the waves have got is in
 * the customers table, outside any customer's partition (docs/storage.md):
 *   catalog   BROADCAST / <id>                        the definition, its campaign form for the send path, who made it, cancelledAt
 *   customers BROADCASTS / <id>                       state, the wave open now, the next wave's time, the parts done
 *   customers BROADCAST#<id> / PART#<waveAt>#<part>   one scan segment of one wave: where its reading stands, whom it targeted
 * Creating and cancelling write both in one transaction. A part is advanced a page at a time,
 * conditional on the page it was at, so a redelivered or duplicated worker message re-reads what
 * another already did and never counts a page twice.
 */
export type StoredState = 'scheduled' | 'sending' | 'cancelled';

export interface OpenWave {
  at: string;
  /** The wave before: recipients due by then were that wave's. */
  previousAt?: string;
  parts: number;
  /** The segment as it was when the wave started: every part of the wave evaluates the same one. */
  segment: Segment;
  startedAt: string;
}

export interface BroadcastRecord {
  definition: BroadcastDefinition;
  /** The send path's view of it (campaignForm.ts), written once: no zod is needed to read it. */
  campaign: Campaign;
  state: StoredState;
  createdAt: string;
  createdBy: string;
  /** When the next wave starts; absent while a wave is open and once every wave has started. */
  nextWaveAt?: string;
  wave?: OpenWave;
  /** Parts of the open wave that have finished ("<waveAt>#<part>"). */
  partsDone: string[];
  waves: number;
  /** Every wave has started and finished: nobody else is due. */
  finished: boolean;
  cancelledAt?: string;
  cancelledBy?: string;
}

export interface WavePart {
  waveAt: string;
  part: number;
  /** Pages read so far: the condition of the next advance. */
  pages: number;
  position?: ScanPosition;
  /** Recipients of this wave found in this part so far (a job each). */
  targeted: number;
  /** The earliest recipient found here due after this wave: when the next wave may start. */
  nextAt?: string;
  done: boolean;
  updatedAt: string;
}

export class BroadcastExistsError extends ConflictError {
  override name = 'BroadcastExistsError';
  constructor(readonly broadcastId: string) {
    super(`a broadcast named ${broadcastId} exists already`, 'id');
  }
}

export interface BroadcastRecords {
  create(record: Omit<BroadcastRecord, 'partsDone' | 'waves' | 'finished' | 'state'>): Promise<void>;
  get(id: string): Promise<BroadcastRecord | undefined>;
  list(): Promise<BroadcastRecord[]>;
  /** Every broadcast's campaign form, a cancelled one marked as such: what the send path and the results read. */
  campaignForms(): Promise<Campaign[]>;
  /** Opens a wave, once: conditional on the next-wave time read and the broadcast not being cancelled. */
  startWave(record: BroadcastRecord, wave: OpenWave): Promise<boolean>;
  part(id: string, waveAt: string, part: number): Promise<WavePart | undefined>;
  /** Every part of every wave, oldest wave first. */
  parts(id: string): Promise<WavePart[]>;
  /** A page of a part is done: written only if the part is still at the page it was read at (false otherwise). */
  advancePart(id: string, from: WavePart, to: WavePart): Promise<boolean>;
  /** Notes a finished part on the broadcast, once; answers how many parts of the wave have finished, or undefined if noted already. */
  finishPart(id: string, waveAt: string, part: number): Promise<number | undefined>;
  /** The wave is over: the next one starts at `nextWaveAt`, or, without one, the broadcast has reached everyone due. */
  closeWave(id: string, waveAt: string, nextWaveAt: string | undefined): Promise<boolean>;
  /** Cancels, once (the definition the send path reads, and the waves' state): false when it was cancelled already. */
  cancel(id: string, actor: string, now: string): Promise<boolean>;
}

/**
 * Where a scan segment's reading stands between pages: the Scan's own key, and the customer whose
 * items ran past the page's end (read whole with a Query, so the next page skips what is left of it).
 */
export interface ScanPosition {
  startKey?: Record<string, unknown>;
  skipPk?: string;
}

/** One page of customers and where the next starts; no `next` after the segment's last page. */
export interface AudiencePage {
  subjects: SegmentSubject[];
  next?: ScanPosition;
}

/**
 * Reads customers for segments: one segment of a parallel Scan of the customers table, keeping only the
 * items a segment reads (profile, orders, carts, views). A Scan returns a partition's items together and
 * in sort-key order, and a partition belongs to exactly one scan segment, so consecutive items with the
 * same `pk` are one customer. A page is cut at any item: the customer it cuts through is completed with
 * a Query of their partition, and the next page leaves out the rest of their items. A page can thus be
 * resumed from its position alone, by another process (a broadcast's fan-out worker does).
 */
export interface AudienceScan {
  /** The customers of scan segment `segment` of `totalSegments`, a page of them at a time. */
  customers(segment: number, totalSegments: number, now: string): AsyncGenerator<SegmentSubject[]>;
  /** One page from `position`: at most `limit` items read (default the reader's page size). */
  page(segment: number, totalSegments: number, position: ScanPosition, now: string, limit?: number): Promise<AudiencePage>;
  /** One customer as a segment reads them (a campaign's `trigger.segment`, at trigger and at send time). */
  subject(customerId: string, now: string): Promise<SegmentSubject | undefined>;
}

/** A recipient's job: made now, or found from an earlier attempt (a redelivered page, another wave). */
export type RecipientJob = { job: Job; created: true } | { job: Job; created: false; existing: Job };

/**
 * A broadcast's recipients as jobs: one per customer and broadcast, created only if there is none (a
 * conditional PutItem each, in parallel), so a page read twice makes nobody a second job. A job is
 * made `queued` with the sweep's lease: if its send message is lost (a crash before the hand-over),
 * the sweep hands it over when the lease ends, as any job's.
 */
export interface Recipients {
  create(jobs: Job[], now: string): Promise<RecipientJob[]>;
}
