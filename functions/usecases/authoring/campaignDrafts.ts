import { isoNow } from '../ports/clock';
import { campaignSchema, type Campaign } from '../../domain/journeys/campaign';
import { fieldErrorsOf } from '../../domain/events/events';
import type { Principal } from '../../domain/authoring/roles';
import type { DraftProblem, DraftValidation } from '../../domain/authoring/draftParts';
import { precompileSubjects } from '../../domain/rendering/precompile';
import {
  type AuthoringDeps,
  UnknownDraftError,
  DraftInvalidError,
  UnknownCampaignVersionError,
  type DraftView,
  subjectOf,
  log,
  savedSummary,
  type PublishAnswer,
  askApproval,
} from './shared';

/** Campaign drafts: checked as `campaigns deploy` checks, published as numbered versions, rolled back (docs/authoring.md). */

export async function deployedCampaign(id: string, deps: Pick<AuthoringDeps, 'catalogStore'>): Promise<Campaign | undefined> {
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
export async function publishCampaign(
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
