import type { AudiencePage, BroadcastRecord, BroadcastRecords, OpenWave, Recipients, ScanPosition, WavePart } from '../ports/broadcasts';
import { type Clock, isoNow } from '../ports/clock';
import type { SendQueue } from '../ports/queues';
import { isLive } from '../../domain/journeys/job';
import { pickRecipients } from '../../domain/broadcasts/recipients';
import { logger } from '../../shared/logger';
import { chunksOf } from '../../shared/chunks';
import type { SegmentDefinitions } from '../segments';
import { ratePerPart, tokenBucket, type Pacer } from './pacer';

/**
 * A broadcast's waves (docs/broadcasts.md): the sweep opens a wave when it is due and hands one message
 * per scan segment ("part") to the broadcast queue; a worker per part reads its segment of the customers
 * table a page at a time, evaluates the segment now, makes a job per recipient of the wave and hands the
 * jobs to the send queue, where they pass the gate of every email. Each page is recorded on the part
 * conditional on the page before, so a redelivered, duplicated or crashed worker resumes where the part
 * stands and makes nobody a second job; the last part to finish says when the next wave starts.
 */
export interface PartMessage {
  broadcastId: string;
  waveAt: string;
  part: number;
}

export interface FanOutDeps {
  broadcasts: Pick<BroadcastRecords, 'list' | 'get' | 'startWave' | 'part' | 'parts' | 'advancePart' | 'finishPart' | 'closeWave'>;
  segments: Pick<SegmentDefinitions, 'get'>;
  audience: {
    page(segment: number, totalSegments: number, position: ScanPosition, now: string, limit?: number): Promise<AudiencePage>;
  };
  recipients: Pick<Recipients, 'create'>;
  sendQueue: SendQueue;
  partQueue: SendQueue<PartMessage>;
  clock: Clock;
  config: { defaultTimeZone: string; sesMaxSendRate?: number };
  /** Scan segments per wave (default 4): parallel workers, each its own share of the table and of the rate. */
  scanSegments?: number;
  /** Wall time a worker message reads pages for before it hands the rest of its part to a fresh message. */
  budgetMs?: number;
  /** Tests pace without waiting. */
  pacer?: (perSecond: number | undefined) => Pacer;
}

export const DEFAULT_SCAN_SEGMENTS = 4;
const DEFAULT_BUDGET_MS = 60_000;
/**
 * Job writes a worker has in flight at once. A page's recipients all at once (up to a page of conditional
 * PutItems) queued behind the SDK's 50 sockets and, locally where one client serves every function,
 * starved the send path: a 2,000-recipient broadcast sent at 45 a second with them, 58 with 25 at a time.
 */
const JOB_WRITES_IN_FLIGHT = 25;
/** A part that has not moved on for this long (application time) is handed to a worker again. */
export const PART_STALL_MS = 10 * 60_000;
/** A throttled page is handed over in about this long: well within the jobs' 10-minute lease. */
const PAGE_HANDOVER_SECONDS = 300;

/** Opens every wave that is due, and hands again any part that stalled (a worker or the opener died). */
export async function startDueWaves(deps: FanOutDeps): Promise<number> {
  const now = isoNow(deps.clock);
  let opened = 0;
  for (const record of await deps.broadcasts.list()) {
    if (record.state === 'cancelled' || record.finished) continue;
    if (record.nextWaveAt && record.nextWaveAt <= now) {
      if (await openWave(record, now, deps)) opened++;
    } else if (record.wave && !record.nextWaveAt && Date.parse(now) - Date.parse(record.wave.startedAt) >= PART_STALL_MS) {
      await handStalledParts(record, record.wave, now, deps);
    }
  }
  return opened;
}

async function openWave(record: BroadcastRecord, now: string, deps: FanOutDeps): Promise<boolean> {
  const id = record.definition.id;
  const segment = await deps.segments.get(record.definition.segment);
  if (!segment) {
    logger.error('broadcast segment is gone; the wave waits', { broadcastId: id, segment: record.definition.segment });
    return false;
  }
  const parts = deps.scanSegments ?? DEFAULT_SCAN_SEGMENTS;
  const wave: OpenWave = { at: now, ...(record.wave ? { previousAt: record.wave.at } : {}), parts, segment, startedAt: now };
  if (!(await deps.broadcasts.startWave(record, wave))) return false;
  logger.info('broadcast wave opened', { broadcastId: id, waveAt: now, parts });
  await deps.partQueue.enqueue(Array.from({ length: parts }, (_, part) => ({ broadcastId: id, waveAt: now, part })));
  return true;
}

async function handStalledParts(record: BroadcastRecord, wave: OpenWave, now: string, deps: FanOutDeps): Promise<void> {
  const id = record.definition.id;
  const parts = (await deps.broadcasts.parts(id)).filter((p) => p.waveAt === wave.at);
  const stalled: PartMessage[] = [];
  for (let part = 0; part < wave.parts; part++) {
    const item = parts.find((p) => p.part === part);
    const noted = record.partsDone.includes(`${wave.at}#${part}`);
    // Done but not noted on the broadcast (a worker died in between), or not moving: a worker finishes it.
    if (item?.done ? !noted : Date.parse(now) - Date.parse(item?.updatedAt ?? wave.startedAt) >= PART_STALL_MS)
      stalled.push({ broadcastId: id, waveAt: wave.at, part });
  }
  // Every part noted but the wave not closed: one worker closes it.
  if (stalled.length === 0 && record.partsDone.length >= wave.parts) stalled.push({ broadcastId: id, waveAt: wave.at, part: 0 });
  if (stalled.length > 0) {
    logger.warn('broadcast parts handed again', { broadcastId: id, waveAt: wave.at, parts: stalled.map((p) => p.part) });
    await deps.partQueue.enqueue(stalled);
  }
}

export type PartOutcome = 'stale' | 'cancelled' | 'taken' | 'continued' | 'done';

/** One worker message: reads pages of its part until the part is done, the budget is spent, or the broadcast is cancelled. */
export async function runWavePart(message: PartMessage, deps: FanOutDeps): Promise<PartOutcome> {
  const startedMs = Date.now();
  const { broadcastId: id, waveAt } = message;
  const record = await deps.broadcasts.get(id);
  const wave = record?.wave;
  if (!record || !wave || wave.at !== waveAt) return 'stale';
  if (record.state === 'cancelled') return 'cancelled';
  let part: WavePart = (await deps.broadcasts.part(id, waveAt, message.part)) ?? {
    waveAt,
    part: message.part,
    pages: 0,
    targeted: 0,
    done: false,
    updatedAt: isoNow(deps.clock),
  };
  const b = record.definition;
  const rate = ratePerPart(b.throttlePerSecond, deps.config.sesMaxSendRate, wave.parts);
  const pacer = deps.pacer ? deps.pacer(rate) : tokenBucket(rate ?? Infinity);
  const facts = {
    broadcast: { id, topic: b.topic, template: b.template, priority: b.priority, sendAt: b.sendAt },
    segment: wave.segment,
    waveAt,
    ...(wave.previousAt ? { previousWaveAt: wave.previousAt } : {}),
    shopZone: deps.config.defaultTimeZone,
  };
  // A page's recipients are made jobs at once (the audience, as targeted), then handed over paced, in small
  // runs: a throttled broadcast trickles out and notices a cancel. Pages are cut so that a page's hand-over
  // fits well within the jobs' lease (else the sweep would hand them over unpaced).
  const run = rate === undefined ? 100 : Math.max(1, Math.min(100, Math.floor(rate)));
  const pageLimit = rate === undefined ? undefined : Math.max(10, Math.min(1000, Math.floor(rate * PAGE_HANDOVER_SECONDS)));
  let checkedMs = Date.now();
  const cancelled = async (): Promise<boolean> => (await deps.broadcasts.get(id))?.state !== 'sending';
  while (!part.done) {
    const now = isoNow(deps.clock);
    const page = await deps.audience.page(message.part, wave.parts, part.position ?? {}, now, pageLimit);
    const picked = pickRecipients(page.subjects, facts, now);
    const made: Awaited<ReturnType<Recipients['create']>> = [];
    for (const jobs of chunksOf(picked.jobs, JOB_WRITES_IN_FLIGHT)) made.push(...(await deps.recipients.create(jobs, now)));
    // This wave's recipients, also those a crashed attempt made already; a job of another wave is that wave's.
    const mine = made.filter((m) => m.created || m.existing.instanceId === m.job.instanceId);
    const nextAt = [part.nextAt, picked.nextAt].filter((t): t is string => t !== undefined).sort()[0];
    const next: WavePart = {
      waveAt,
      part: message.part,
      pages: part.pages + 1,
      ...(page.next ? { position: page.next } : {}),
      targeted: part.targeted + mine.length,
      ...(nextAt ? { nextAt } : {}),
      done: page.next === undefined,
      updatedAt: now,
    };
    // The page is recorded once its jobs exist, before they are handed over: a worker that dies while handing
    // them over leaves them queued, and the sweep hands them over when their lease ends, as any job's.
    // Another worker moved this part on meanwhile (a duplicate message): it hands its page over, this one stops.
    if (!(await deps.broadcasts.advancePart(id, part, next))) return 'taken';
    part = next;
    for (const jobs of chunksOf(
      mine.filter((m) => m.created || isLive(m.existing)),
      run,
    )) {
      await pacer.take(jobs.length);
      if (rate !== undefined && Date.now() - checkedMs >= 1000) {
        checkedMs = Date.now();
        if (await cancelled()) return 'cancelled';
      }
      await deps.sendQueue.enqueue(
        jobs.map(({ job }) => ({ customerId: job.customerId, jobId: job.jobId, stepId: job.stepId, instanceId: job.instanceId })),
      );
    }
    if (part.done) break;
    checkedMs = Date.now();
    if (await cancelled()) return 'cancelled';
    if (Date.now() - startedMs >= (deps.budgetMs ?? DEFAULT_BUDGET_MS)) {
      await deps.partQueue.enqueue([message]);
      return 'continued';
    }
  }
  await deps.broadcasts.finishPart(id, waveAt, message.part);
  await closeWaveIfLast(id, waveAt, deps);
  return 'done';
}

/** Once every part of the wave is done: the next wave starts at the earliest later recipient, or there is none. */
async function closeWaveIfLast(id: string, waveAt: string, deps: FanOutDeps): Promise<void> {
  const record = await deps.broadcasts.get(id);
  if (!record?.wave || record.wave.at !== waveAt || record.nextWaveAt || record.finished) return;
  if (record.partsDone.length < record.wave.parts) return;
  const parts = (await deps.broadcasts.parts(id)).filter((p) => p.waveAt === waveAt);
  const nextAt = parts
    .map((p) => p.nextAt)
    .filter((t): t is string => t !== undefined)
    .sort()[0];
  if (await deps.broadcasts.closeWave(id, waveAt, nextAt))
    logger.info(nextAt ? 'broadcast wave done; the next starts later' : 'broadcast waves all done', { broadcastId: id, waveAt, nextAt });
}
