import type { Catalog, CatalogRecords } from './ports/catalog';
import type { ChangeAction, ChangeLog } from './ports/changeLog';
import { type Clock, isoNow } from './ports/clock';
import type { DraftKind, Drafts, StoredDraft } from './ports/drafts';
import type { Jobs } from './ports/jobs';
import { campaignSchema, type Campaign } from '../domain/journeys/campaign';
import { fieldErrorsOf } from '../domain/events/events';
import type { Principal } from '../domain/authoring/roles';
import type { DraftProblem, DraftValidation, TemplateParts } from '../domain/authoring/draftParts';
import type { PublishedTemplate } from '../domain/rendering/publishedTemplate';
import type { CompiledTemplate } from '../domain/rendering/renderer';
import { checkTemplateWith, publishTemplateVersion, TemplateCheckError, type TemplateDeps } from './templates';
import { precompileSubjects } from '../domain/rendering/precompile';
import { RELEASE_PER_MINUTE } from './dispatchDueJobs';
import { NotFoundError } from '../shared/errors';

/**
 * Drafts, versions, approvals, pause and resume: how marketers change what sends (docs/authoring.md).
 * A draft is saved whatever its state and validated on every save by the same code as
 * `templates validate` and `campaigns deploy`; only a valid draft publishes, as an immutable version.
 */

/** Validates a template draft as a folder; the port keeps mjml and the file system out of this module. */
export interface TemplateDraftValidator {
  /**
   * `published` when it validates; `compiled` whenever it compiled, valid or not (what a preview renders),
   * and `loaded`, that version ready to render when the validation rendered its samples with it.
   */
  validate(
    name: string,
    parts: TemplateParts,
    now: string,
  ): Promise<{ validation: DraftValidation; published?: PublishedTemplate; compiled?: PublishedTemplate; loaded?: CompiledTemplate }>;
  /** A published version's own source files, validated and compiled again on the server. */
  validatePublished(template: PublishedTemplate, now: string): Promise<{ validation: DraftValidation; published?: PublishedTemplate }>;
  /** A published version as a draft's parts. */
  partsOf(published: PublishedTemplate): TemplateParts;
}

export interface AuthoringDeps {
  authoring: Drafts;
  changes: ChangeLog;
  catalogStore: CatalogRecords;
  catalog: Catalog;
  jobs: Jobs;
  clock: Clock;
  templateValidator: TemplateDraftValidator;
  /** Four eyes: a publish waits until another publisher approves it (REQUIRE_APPROVAL). */
  requireApproval: boolean;
  /** The publish-time check of a version (limits, compile, samples under the render budget), as for every publish. */
  checkTemplate?: TemplateDeps['checkTemplate'];
  /** Saved segments: a campaign's `trigger.segment` must name one. */
  segments?: { get(id: string): Promise<unknown> };
}

export class UnknownDraftError extends NotFoundError {
  override name = 'UnknownDraftError';
  constructor(
    readonly kind: DraftKind,
    readonly subject: string,
  ) {
    super(
      kind === 'template'
        ? `no template named ${subject} (neither published nor drafted)`
        : `no campaign ${subject} (neither deployed nor drafted)`,
      'name',
    );
  }
}

export class DraftInvalidError extends Error {
  override name = 'DraftInvalidError';
  /** "the draft does not validate", or "the template" for a version sent whole to the API. */
  readonly summary: string;
  constructor(
    readonly validation: DraftValidation,
    /** What did not validate: a saved draft's parts, or a version in a request's body. */
    readonly subject: 'draft' | 'template' = 'draft',
  ) {
    const summary = `the ${subject} does not validate`;
    super(`${summary}: ${validation.errors.map((e) => `${e.part}${e.line ? `:${e.line}` : ''} ${e.message}`).join('; ')}`);
    this.summary = summary;
  }
}

export class ApprovalError extends Error {
  override name = 'ApprovalError';
  constructor(
    message: string,
    readonly status: 403 | 404,
  ) {
    super(message);
  }
}

export class UnknownCampaignVersionError extends NotFoundError {
  override name = 'UnknownCampaignVersionError';
  constructor(
    readonly campaignId: string,
    readonly version: number,
  ) {
    super(`campaign ${campaignId} has no version ${version}`, 'name');
  }
}

export interface DraftView {
  name: string;
  revision: number;
  parts: unknown;
  validation: DraftValidation;
  savedAt?: string;
  savedBy?: string;
}

const subjectOf = (kind: DraftKind, name: string): string => `${kind}:${name}`;

async function log(
  deps: Pick<AuthoringDeps, 'changes' | 'clock'>,
  principal: Principal,
  action: ChangeAction,
  subject: string,
  summary: string,
): Promise<void> {
  await deps.changes.record({ at: isoNow(deps.clock), actor: principal.actor, action, subject, summary });
}

// ——— templates ———

export async function templateDraft(name: string, deps: AuthoringDeps): Promise<DraftView> {
  const stored = await deps.authoring.getDraft('template', name);
  const parts = stored ? (stored.parts as TemplateParts) : await publishedParts(name, deps);
  const { validation } = await deps.templateValidator.validate(name, parts, isoNow(deps.clock));
  return {
    name,
    revision: stored?.revision ?? 0,
    parts,
    validation,
    ...(stored ? { savedAt: stored.savedAt, savedBy: stored.savedBy } : {}),
  };
}

async function publishedParts(name: string, deps: AuthoringDeps): Promise<TemplateParts> {
  const version = await deps.catalogStore.latestTemplateVersion(name);
  const published = version ? await deps.catalogStore.getTemplateVersion(name, version) : undefined;
  if (!published) throw new UnknownDraftError('template', name);
  return deps.templateValidator.partsOf(published);
}

export async function saveTemplateDraft(
  name: string,
  revision: number | undefined,
  parts: TemplateParts,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ revision: number; validation: DraftValidation }> {
  const { validation } = await deps.templateValidator.validate(name, parts, isoNow(deps.clock));
  return storeTemplateDraft(name, revision, parts, validation, principal, deps);
}

/** Saves a draft validated by the caller (the console's editor validates once to save and to preview). */
export async function storeTemplateDraft(
  name: string,
  revision: number | undefined,
  parts: TemplateParts,
  validation: DraftValidation,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ revision: number; validation: DraftValidation }> {
  const saved = await deps.authoring.saveDraft('template', name, parts, revision, principal.actor, isoNow(deps.clock));
  await log(deps, principal, 'draft-saved', subjectOf('template', name), savedSummary(saved.revision, validation));
  return { revision: saved.revision, validation };
}

/** "2 errors", "1 held step": a count with its noun, as the change log reads it. */
const countOf = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The change log's line for a saved draft: its revision, and whether it validates. */
const savedSummary = (revision: number, validation: DraftValidation): string =>
  `revision ${revision}, ${validation.ok ? 'valid' : `${countOf(validation.errors.length, 'error', 'errors')} to fix before it publishes`}`;

export type PublishAnswer =
  { version: string | number; changed?: boolean } | { awaitingApproval: { requestedBy: string; requestedAt: string; revision: number } };

export async function publishTemplateDraft(name: string, principal: Principal, deps: AuthoringDeps, note?: string): Promise<PublishAnswer> {
  const draft = await deps.authoring.getDraft('template', name);
  if (!draft) throw new UnknownDraftError('template', name);
  const { validation, published } = await deps.templateValidator.validate(name, draft.parts as TemplateParts, isoNow(deps.clock));
  if (!validation.ok || !published) throw new DraftInvalidError(validation);
  if (deps.requireApproval)
    return askApproval('template', draft, `revision ${draft.revision} as ${published.version}`, principal, deps, note);
  return publishTemplate(published, draft.revision, principal, deps, note);
}

async function publishTemplate(
  published: PublishedTemplate,
  revision: number | undefined,
  principal: Principal,
  deps: AuthoringDeps,
  note?: string,
): Promise<PublishAnswer> {
  const credit = { by: principal.actor, ...(note ? { note } : {}) };
  const result = await publishTemplateVersion({ ...published, publishedAt: isoNow(deps.clock) }, deps, credit);
  const from = revision === undefined ? 'through the API' : `draft revision ${revision}`;
  await log(
    deps,
    principal,
    'published',
    subjectOf('template', published.name),
    `version ${result.version} from ${from}${result.changed ? '' : ' (already sending)'}`,
  );
  return { version: result.version, changed: result.changed };
}

/**
 * A compiled version sent to the API (what `templates publish` posts): its own source files and
 * samples are validated and compiled again here, so nothing publishes that `templates validate`
 * would refuse, and what is stored is what was validated.
 */
export async function publishCheckedVersion(
  template: PublishedTemplate,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ name: string; version: string; changed: boolean }> {
  // What was sent is checked as sent first (limits, compile, every sample under the render budget, off the event loop).
  const { problems } = await checkTemplateWith(deps)(template);
  if (problems.length) throw new TemplateCheckError(template.name, problems);
  const { validation, published } = await deps.templateValidator.validatePublished(template, isoNow(deps.clock));
  if (!validation.ok || !published) throw new DraftInvalidError(validation, 'template');
  const answer = (await publishTemplate(published, undefined, principal, deps)) as { version: string; changed: boolean };
  return { name: published.name, version: answer.version, changed: answer.changed };
}

// ——— campaigns ———

async function deployedCampaign(id: string, deps: Pick<AuthoringDeps, 'catalogStore'>): Promise<Campaign | undefined> {
  return (await deps.catalogStore.listCampaigns()).find((c) => c.id === id);
}

/** The checks of `campaigns deploy`: the schema, the id, templates and pinned versions that exist. */
export async function validateCampaignParts(
  id: string,
  parts: unknown,
  deps: Pick<AuthoringDeps, 'catalogStore' | 'segments'>,
): Promise<{ validation: DraftValidation; campaign?: Campaign }> {
  const withVersion = parts && typeof parts === 'object' && !('version' in parts) ? { ...parts, version: 1 } : parts;
  const parsed = campaignSchema.safeParse(withVersion);
  if (!parsed.success)
    return {
      validation: {
        ok: false,
        errors: fieldErrorsOf(parsed.error, '(campaign)').map((e) => ({ part: e.path, message: e.message })),
        warnings: [],
      },
    };
  const campaign = parsed.data;
  const errors: DraftProblem[] = [];
  if (campaign.id !== id) errors.push({ part: 'id', message: `is "${campaign.id}" but the path names "${id}"` });
  const templates = [
    ...campaign.steps.map((step, i) => ({
      part: `steps[${i}].template`,
      name: step.template,
      pinned: step.templateVersion,
      pinPart: `steps[${i}].templateVersion`,
    })),
    ...(campaign.variants ?? []).flatMap((v, i) =>
      v.template ? [{ part: `variants[${i}].template`, name: v.template, pinned: undefined, pinPart: '' }] : [],
    ),
  ];
  // A variant's subject is precompiled when the campaign is deployed: one that cannot be is refused here.
  for (const { path, message } of precompileSubjects(campaign).problems) errors.push({ part: path, message });
  for (const t of templates) {
    if (!(await deps.catalogStore.latestTemplateVersion(t.name)))
      errors.push({ part: t.part, message: `no published template named "${t.name}"` });
    else if (t.pinned && !(await deps.catalogStore.getTemplateVersion(t.name, t.pinned)))
      errors.push({ part: t.pinPart, message: `${t.name} has no published version ${t.pinned}` });
  }
  const segment = campaign.trigger.segment;
  if (segment && deps.segments && !(await deps.segments.get(segment)))
    errors.push({ part: 'trigger.segment', message: `no segment named "${segment}": save it first (PUT /admin/api/segments/{id})` });
  return { validation: { ok: errors.length === 0, errors, warnings: [] }, ...(errors.length === 0 ? { campaign } : {}) };
}

export async function campaignDraft(id: string, deps: AuthoringDeps): Promise<DraftView> {
  const stored = await deps.authoring.getDraft('campaign', id);
  const parts = stored?.parts ?? (await deployedCampaign(id, deps));
  if (!parts) throw new UnknownDraftError('campaign', id);
  const { validation } = await validateCampaignParts(id, parts, deps);
  return {
    name: id,
    revision: stored?.revision ?? 0,
    parts,
    validation,
    ...(stored ? { savedAt: stored.savedAt, savedBy: stored.savedBy } : {}),
  };
}

export async function saveCampaignDraft(
  id: string,
  revision: number | undefined,
  parts: unknown,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ revision: number; validation: DraftValidation }> {
  const { validation } = await validateCampaignParts(id, parts, deps);
  const saved = await deps.authoring.saveDraft('campaign', id, parts, revision, principal.actor, isoNow(deps.clock));
  await log(deps, principal, 'draft-saved', subjectOf('campaign', id), savedSummary(saved.revision, validation));
  return { revision: saved.revision, validation };
}

export async function publishCampaignDraft(id: string, principal: Principal, deps: AuthoringDeps, note?: string): Promise<PublishAnswer> {
  const draft = await deps.authoring.getDraft('campaign', id);
  if (!draft) throw new UnknownDraftError('campaign', id);
  const { validation, campaign } = await validateCampaignParts(id, draft.parts, deps);
  if (!campaign) throw new DraftInvalidError(validation);
  if (deps.requireApproval) return askApproval('campaign', draft, `revision ${draft.revision}`, principal, deps, note);
  return publishCampaign(campaign, draft.revision, principal, deps, note);
}

/** The next version number: one above every kept version and the one running. */
async function publishCampaign(
  campaign: Campaign,
  revision: number,
  principal: Principal,
  deps: AuthoringDeps,
  note?: string,
): Promise<PublishAnswer> {
  const [versions, running] = await Promise.all([deps.authoring.campaignVersions(campaign.id), deployedCampaign(campaign.id, deps)]);
  const version = Math.max(0, running?.version ?? 0, ...versions.map((v) => v.version)) + 1;
  const { specs: subjects } = precompileSubjects(campaign);
  await deps.catalogStore.putCampaign({ ...campaign, version }, isoNow(deps.clock), {
    by: principal.actor,
    subjects,
    ...(note ? { note } : {}),
  });
  deps.catalog.invalidate();
  await log(deps, principal, 'published', subjectOf('campaign', campaign.id), `version ${version} from draft revision ${revision}`);
  return { version };
}

export async function campaignHistory(
  id: string,
  deps: AuthoringDeps,
): Promise<{
  campaignId: string;
  running?: number;
  versions: { version: number; publishedAt: string; publishedBy: string; note?: string }[];
}> {
  const [versions, running] = await Promise.all([deps.authoring.campaignVersions(id), deployedCampaign(id, deps)]);
  if (!running && versions.length === 0) throw new UnknownDraftError('campaign', id);
  return {
    campaignId: id,
    running: running?.version,
    versions: versions.map(({ version, publishedAt, publishedBy, note }) => ({
      version,
      publishedAt,
      publishedBy,
      ...(note ? { note } : {}),
    })),
  };
}

export async function rollbackCampaign(
  id: string,
  version: number,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ campaignId: string; version: number }> {
  const kept = await deps.authoring.campaignVersion(id, version);
  if (!kept) throw new UnknownCampaignVersionError(id, version);
  // Precompiled again: the kept definition is the campaign's source, its subjects' specs are not kept with it.
  const { specs: subjects } = precompileSubjects(kept.definition);
  await deps.catalogStore.putCampaign(kept.definition, isoNow(deps.clock), { by: principal.actor, rolledBack: true, subjects });
  deps.catalog.invalidate();
  await log(deps, principal, 'rolled-back', subjectOf('campaign', id), `back to version ${version}`);
  return { campaignId: id, version };
}

export async function rollbackTemplateLogged(name: string, version: string, principal: Principal, deps: AuthoringDeps): Promise<void> {
  await log(deps, principal, 'rolled-back', subjectOf('template', name), `back to version ${version}`);
}

// ——— four eyes ———

async function askApproval(
  kind: DraftKind,
  draft: StoredDraft,
  what: string,
  principal: Principal,
  deps: AuthoringDeps,
  note?: string,
): Promise<PublishAnswer> {
  const requestedAt = isoNow(deps.clock);
  await deps.authoring.requestApproval({
    ...(note ? { note } : {}),
    kind,
    name: draft.name,
    requestedBy: principal.actor,
    requestedAt,
    summary: what,
    parts: draft.parts,
    revision: draft.revision,
  });
  await log(deps, principal, 'publish-requested', subjectOf(kind, draft.name), `${what}: waiting for another publisher`);
  return { awaitingApproval: { requestedBy: principal.actor, requestedAt, revision: draft.revision } };
}

/** Another publisher approves: the parts that were asked for are validated again and published. */
export async function approvePublish(kind: DraftKind, name: string, principal: Principal, deps: AuthoringDeps): Promise<PublishAnswer> {
  const pending = (await deps.authoring.pendingApprovals()).find((a) => a.kind === kind && a.name === name);
  if (!pending) throw new ApprovalError(`no publish of ${kind} ${name} is waiting for approval`, 404);
  if (pending.requestedBy === principal.actor)
    throw new ApprovalError(`needs a second publisher: ${principal.actor} asked for this publish and cannot approve it too`, 403);
  if (!(await deps.authoring.takeApproval(kind, name)))
    throw new ApprovalError(`no publish of ${kind} ${name} is waiting for approval`, 404);
  await log(deps, principal, 'approved', subjectOf(kind, name), `${pending.summary}, asked by ${pending.requestedBy}`);
  if (kind === 'template') {
    const { validation, published } = await deps.templateValidator.validate(name, pending.parts as TemplateParts, isoNow(deps.clock));
    if (!validation.ok || !published) throw new DraftInvalidError(validation);
    return publishTemplate(published, pending.revision, principal, deps, pending.note);
  }
  const { validation, campaign } = await validateCampaignParts(name, pending.parts, deps);
  if (!campaign) throw new DraftInvalidError(validation);
  return publishCampaign(campaign, pending.revision, principal, deps, pending.note);
}

// ——— pause and resume ———

export async function pauseCampaign(id: string, principal: Principal, deps: AuthoringDeps): Promise<{ campaignId: string; paused: true }> {
  if (!(await deployedCampaign(id, deps))) throw new UnknownDraftError('campaign', id);
  await deps.authoring.pause(id, principal.actor, isoNow(deps.clock));
  deps.catalog.invalidate();
  await log(deps, principal, 'paused', subjectOf('campaign', id), 'due steps are held until resume');
  return { campaignId: id, paused: true };
}

/** Ends the pause, then releases the held steps, RELEASE_PER_MINUTE a minute, each through the usual gate. */
export async function resumeCampaign(
  id: string,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ campaignId: string; paused: false; released: number }> {
  if (!(await deployedCampaign(id, deps))) throw new UnknownDraftError('campaign', id);
  const now = isoNow(deps.clock);
  const ended = await deps.authoring.resume(id);
  deps.catalog.invalidate();
  const released = await deps.jobs.releaseHeld(id, now, RELEASE_PER_MINUTE);
  const minutes = Math.ceil(released / RELEASE_PER_MINUTE);
  const since = ended ? `paused since ${ended.pausedAt.replace('T', ' ').slice(0, 16)} UTC; ` : '';
  const over = minutes > 1 ? ` over ${minutes} minutes` : '';
  await log(
    deps,
    principal,
    'resumed',
    subjectOf('campaign', id),
    `${since}${countOf(released, 'held step', 'held steps')} released${over}`,
  );
  return { campaignId: id, paused: false, released };
}
