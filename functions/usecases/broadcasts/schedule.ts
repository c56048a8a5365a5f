import type { BroadcastRecord, BroadcastRecords, WavePart } from '../ports/broadcasts';
import type { Catalog, CatalogRecords } from '../ports/catalog';
import type { ChangeLog } from '../ports/changeLog';
import { type Clock, isoNow } from '../ports/clock';
import type { Stats } from '../ports/stats';
import type { Principal } from '../../domain/authoring/roles';
import { sendAtProblem, type BroadcastDefinition } from '../../domain/broadcasts/broadcast';
import { campaignOfBroadcast } from '../../domain/broadcasts/campaignForm';
import { precompileSubjects } from '../../domain/rendering/precompile';
import { firstWaveAt, isLocalTime } from '../../domain/broadcasts/waves';
import type { SkipReason } from '../../domain/journeys/job';
import { addCounts, countsFromCounters, emptyCounts } from '../../domain/results/funnel';
import { describeSegment } from '../../domain/segments/describe';
import type { SegmentDefinitions } from '../segments';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/errors';

/** Creating, reading and cancelling broadcasts (docs/broadcasts.md); the waves themselves are fanOut.ts's. */
export interface BroadcastDeps {
  broadcasts: Pick<BroadcastRecords, 'create' | 'get' | 'list' | 'parts' | 'cancel'>;
  segments: Pick<SegmentDefinitions, 'get'>;
  catalogStore: Pick<CatalogRecords, 'latestTemplateVersion' | 'listCampaigns'>;
  /** Told of a new or cancelled broadcast, so sends in this process see it at once (others within seconds). */
  catalog: Pick<Catalog, 'invalidate'>;
  stats: Pick<Stats, 'rows'>;
  changes: Pick<ChangeLog, 'record'>;
  clock: Clock;
  config: { defaultTimeZone: string };
}

/** A broadcast that is well-formed but cannot be sent as asked (400): names the field. */
export class BroadcastInvalidError extends InvalidInputError {
  override name = 'BroadcastInvalidError';
  constructor(path: string, message: string) {
    super(message, path);
  }
}

export class UnknownBroadcastError extends NotFoundError {
  override name = 'UnknownBroadcastError';
  constructor(readonly broadcastId: string) {
    super(`no broadcast named ${broadcastId}`, 'id');
  }
}

/** Cancelling what has finished (409). */
export class BroadcastFinishedError extends ConflictError {
  override name = 'BroadcastFinishedError';
  constructor(readonly broadcastId: string) {
    super(`broadcast ${broadcastId} has finished: everyone it was for got it or was skipped`, 'state');
  }
}

/** When a broadcast goes, in words for the change log and the console. */
export function sendAtWords(sendAt: BroadcastDefinition['sendAt']): string {
  return isLocalTime(sendAt)
    ? `${sendAt.localTime} on ${sendAt.date} in each recipient's own time zone`
    : `${sendAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '')} UTC`;
}

/** Checks what the schema cannot (the template, segment and time), then schedules the broadcast: 201 {id, state}. */
export async function createBroadcast(
  definition: BroadcastDefinition,
  principal: Principal,
  deps: BroadcastDeps,
): Promise<{ id: string; state: 'scheduled'; firstWaveAt: string }> {
  const now = isoNow(deps.clock);
  const timing = sendAtProblem(definition.sendAt, now, deps.config.defaultTimeZone);
  if (timing) throw new BroadcastInvalidError(timing.path, timing.message);
  const templates = [
    { path: 'template', name: definition.template },
    ...(definition.variants ?? []).flatMap((v, i) => (v.template ? [{ path: `variants[${i}].template`, name: v.template }] : [])),
  ];
  for (const t of templates) {
    if (!(await deps.catalogStore.latestTemplateVersion(t.name)))
      throw new BroadcastInvalidError(t.path, `no published template named "${t.name}"`);
  }
  const segment = await deps.segments.get(definition.segment);
  if (!segment)
    throw new BroadcastInvalidError('segment', `no segment named "${definition.segment}": save it first (PUT /admin/api/segments/{id})`);
  // Broadcasts and campaigns share ids: their jobs, logs and results are keyed by them.
  if ((await deps.catalogStore.listCampaigns()).some((c) => c.id === definition.id))
    throw new BroadcastInvalidError('id', `a campaign is named "${definition.id}": broadcasts and campaigns need different ids`);
  // Variants' subjects are precompiled now, as publishing does a campaign's: the send path only runs them.
  const { specs: subjects, problems } = precompileSubjects(definition);
  if (problems[0]) throw new BroadcastInvalidError(problems[0].path, problems[0].message);
  const first = firstWaveAt(definition.sendAt);
  await deps.broadcasts.create({
    definition,
    campaign: campaignOfBroadcast(definition, {
      segmentName: segment.name,
      segmentRule: { match: segment.match, conditions: segment.conditions },
      subjects,
    }),
    createdAt: now,
    createdBy: principal.actor,
    nextWaveAt: first < now ? now : first,
  });
  deps.catalog.invalidate();
  await deps.changes.record({
    at: now,
    actor: principal.actor,
    action: 'broadcast-created',
    subject: `broadcast:${definition.id}`,
    summary:
      `"${definition.name}" to segment ${segment.name} (${describeSegment(segment)}) at ${sendAtWords(definition.sendAt)}; ` +
      `template ${definition.template}, topic ${definition.topic}`,
  });
  return { id: definition.id, state: 'scheduled', firstWaveAt: first < now ? now : first };
}

export type BroadcastState = 'scheduled' | 'sending' | 'done' | 'cancelled';

export interface BroadcastStatus {
  id: string;
  name: string;
  state: BroadcastState;
  /** Recipients targeted so far: in the segment when their zone's wave started (a job each). */
  audience: number;
  sent: number;
  /** Not sent, with one reason each (held-out apart). */
  skipped: number;
  skippedBy: Partial<Record<SkipReason, number>>;
  heldOut: number;
  failed: number;
  /** Targeted and not yet settled: in the send queue, or held to the end of quiet hours. */
  queued: number;
  sendAt: BroadcastDefinition['sendAt'];
  segment: string;
  template: string;
  topic: string;
  /** Waves started so far (one per moment a zone's time came), with whom each targeted. */
  waves: { at: string; targeted: number; done: boolean }[];
  nextWaveAt?: string;
  createdAt: string;
  createdBy: string;
  cancelledAt?: string;
  cancelledBy?: string;
}

/** Progress from the wave parts (whom each targeted) and the broadcast's results rows (what became of them). */
export async function broadcastStatus(id: string, deps: BroadcastDeps): Promise<BroadcastStatus> {
  const record = await deps.broadcasts.get(id);
  if (!record) throw new UnknownBroadcastError(id);
  const now = isoNow(deps.clock);
  const [parts, rows] = await Promise.all([
    deps.broadcasts.parts(id),
    deps.stats.rows(id, record.createdAt.slice(0, 10), now.slice(0, 10)),
  ]);
  return statusOf(record, parts, rows);
}

function statusOf(record: BroadcastRecord, parts: WavePart[], rows: { counters: Record<string, number> }[]): BroadcastStatus {
  const counts = rows.map((r) => countsFromCounters(r.counters)).reduce(addCounts, emptyCounts());
  const { 'held-out': heldOut = 0, ...skippedBy } = counts.skippedBy;
  const skipped = counts.skipped - heldOut;
  const audience = parts.reduce((n, p) => n + p.targeted, 0);
  const failed = counts.failed + counts.unknownOutcome;
  const queued = Math.max(0, audience - counts.sent - skipped - heldOut - failed);
  const waves = new Map<string, { at: string; targeted: number; done: boolean }>();
  for (const p of parts) {
    const wave = waves.get(p.waveAt) ?? { at: p.waveAt, targeted: 0, done: true };
    wave.targeted += p.targeted;
    wave.done &&= p.done;
    waves.set(p.waveAt, wave);
  }
  const d = record.definition;
  const state: BroadcastState =
    record.state === 'cancelled' ? 'cancelled' : record.waves === 0 ? 'scheduled' : record.finished && queued === 0 ? 'done' : 'sending';
  return {
    id: d.id,
    name: d.name,
    state,
    audience,
    sent: counts.sent,
    skipped,
    skippedBy,
    heldOut,
    failed,
    queued,
    sendAt: d.sendAt,
    segment: d.segment,
    template: d.template,
    topic: d.topic,
    waves: [...waves.values()].sort((a, b) => a.at.localeCompare(b.at)),
    ...(record.nextWaveAt && record.state !== 'cancelled' ? { nextWaveAt: record.nextWaveAt } : {}),
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    ...(record.cancelledAt ? { cancelledAt: record.cancelledAt, cancelledBy: record.cancelledBy } : {}),
  };
}

/**
 * Stops everything not yet sent: no wave starts, running workers stop at their next page, and every
 * send still due of it is skipped (reason `cancelled`) by the gate, here at once, elsewhere within the
 * catalog cache's few seconds. `notSent` counts the recipients targeted and not yet sent when it stopped.
 */
export async function cancelBroadcast(
  id: string,
  principal: Principal,
  deps: BroadcastDeps,
): Promise<{ id: string; state: 'cancelled'; notSent: number }> {
  const before = await broadcastStatus(id, deps);
  if (before.state === 'done') throw new BroadcastFinishedError(id);
  const now = isoNow(deps.clock);
  const cancelled = await deps.broadcasts.cancel(id, principal.actor, now);
  deps.catalog.invalidate();
  if (cancelled) {
    const later = before.nextWaveAt ? '; no later zone is reached' : '';
    await deps.changes.record({
      at: now,
      actor: principal.actor,
      action: 'broadcast-cancelled',
      subject: `broadcast:${id}`,
      summary: `${before.sent} sent before it stopped, ${before.queued} targeted and not sent${later}`,
    });
  }
  return { id, state: 'cancelled', notSent: before.queued };
}

/** Every broadcast, newest first, each with its progress (for the console's list). */
export async function listBroadcasts(deps: BroadcastDeps): Promise<BroadcastStatus[]> {
  const records = await deps.broadcasts.list();
  return Promise.all(records.map((r) => broadcastStatus(r.definition.id, deps)));
}
