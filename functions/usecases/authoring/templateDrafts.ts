import { isoNow } from '../ports/clock';
import type { Principal } from '../../domain/authoring/roles';
import type { DraftValidation, TemplateParts } from '../../domain/authoring/draftParts';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import { checkTemplateWith, publishTemplateVersion, TemplateCheckError } from '../templates';
import {
  type AuthoringDeps,
  UnknownDraftError,
  DraftInvalidError,
  type DraftView,
  subjectOf,
  log,
  savedSummary,
  type PublishAnswer,
  askApproval,
} from './shared';

/** Template drafts: read, saved (validated on every save), published as an immutable version (docs/authoring.md). */

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

export async function publishTemplateDraft(name: string, principal: Principal, deps: AuthoringDeps, note?: string): Promise<PublishAnswer> {
  const draft = await deps.authoring.getDraft('template', name);
  if (!draft) throw new UnknownDraftError('template', name);
  const { validation, published } = await deps.templateValidator.validate(name, draft.parts as TemplateParts, isoNow(deps.clock));
  if (!validation.ok || !published) throw new DraftInvalidError(validation);
  if (deps.requireApproval)
    return askApproval('template', draft, `revision ${draft.revision} as ${published.version}`, principal, deps, note);
  return publishTemplate(published, draft.revision, principal, deps, note);
}

export async function publishTemplate(
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

export async function rollbackTemplateLogged(name: string, version: string, principal: Principal, deps: AuthoringDeps): Promise<void> {
  await log(deps, principal, 'rolled-back', subjectOf('template', name), `back to version ${version}`);
}
