import type { Catalog, CatalogRecords } from '../ports/catalog';
import type { ChangeAction, ChangeLog } from '../ports/changeLog';
import { type Clock, isoNow } from '../ports/clock';
import type { DraftKind, Drafts, StoredDraft } from '../ports/drafts';
import type { Jobs } from '../ports/jobs';
import type { Principal } from '../../domain/authoring/roles';
import type { DraftValidation, TemplateParts } from '../../domain/authoring/draftParts';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { CompiledTemplate } from '../../domain/rendering/renderer';
import { type TemplateDeps } from '../templates';
import { NotFoundError } from '../../shared/errors';

/**
 * What every part of authoring shares: its ports and dependencies, its errors, the change log's
 * lines, and the four-eyes request (docs/authoring.md).
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

export const subjectOf = (kind: DraftKind, name: string): string => `${kind}:${name}`;

export async function log(
  deps: Pick<AuthoringDeps, 'changes' | 'clock'>,
  principal: Principal,
  action: ChangeAction,
  subject: string,
  summary: string,
): Promise<void> {
  await deps.changes.record({ at: isoNow(deps.clock), actor: principal.actor, action, subject, summary });
}

/** "2 errors", "1 held step": a count with its noun, as the change log reads it. */
export const countOf = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The change log's line for a saved draft: its revision, and whether it validates. */
export const savedSummary = (revision: number, validation: DraftValidation): string =>
  `revision ${revision}, ${validation.ok ? 'valid' : `${countOf(validation.errors.length, 'error', 'errors')} to fix before it publishes`}`;

export type PublishAnswer =
  { version: string | number; changed?: boolean } | { awaitingApproval: { requestedBy: string; requestedAt: string; revision: number } };

/** Four eyes: the publish waits, with the parts asked for, until another publisher approves it. */
export async function askApproval(
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
