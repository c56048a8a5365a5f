/**
 * Drafts, campaign versions, approvals and pauses as the use cases need them (adapters/dynamo/authoringStore.ts
 * implements it).
 */
import type { Campaign } from '../../domain/journeys/campaign';
import { ConflictError } from '../../shared/errors';

export type DraftKind = 'template' | 'campaign';

export interface StoredDraft {
  kind: DraftKind;
  name: string;
  revision: number;
  parts: unknown;
  savedAt: string;
  savedBy: string;
}

export class StaleRevisionError extends ConflictError {
  override name = 'StaleRevisionError';
  constructor(
    readonly given: number | undefined,
    readonly current: StoredDraft,
    /** The parts the refused save carried: the answer says where the saved draft differs from them. */
    readonly attempted?: unknown,
  ) {
    super(
      given === undefined || given === 0
        ? `a draft already exists (revision ${current.revision}, saved by ${current.savedBy} at ${current.savedAt}): ` +
            'load it and save with its revision'
        : `revision ${given} is not the latest: ${current.savedBy} saved revision ${current.revision} at ${current.savedAt}`,
      'revision',
    );
  }
}

export interface CampaignVersion {
  version: number;
  definition: Campaign;
  publishedAt: string;
  publishedBy: string;
  note?: string;
}

export interface PausedCampaign {
  campaignId: string;
  pausedAt: string;
  pausedBy: string;
}

export interface PendingApproval {
  kind: DraftKind;
  name: string;
  requestedBy: string;
  requestedAt: string;
  summary: string;
  /** What the publisher who asked said it changes: it becomes the version's note. */
  note?: string;
  /** The validated draft parts that publish once approved. */
  parts: unknown;
  revision: number;
}

export interface Drafts {
  getDraft(kind: DraftKind, name: string): Promise<StoredDraft | undefined>;
  listDrafts(kind: DraftKind): Promise<Omit<StoredDraft, 'parts'>[]>;
  /**
   * Saves a draft only over the revision the editor loaded (none or 0: only when no draft exists), so
   * two editors never overwrite each other silently. Returns the new revision.
   */
  saveDraft(
    kind: DraftKind,
    name: string,
    parts: unknown,
    expected: number | undefined,
    savedBy: string,
    savedAt: string,
  ): Promise<StoredDraft>;
  campaignVersions(id: string): Promise<CampaignVersion[]>;
  campaignVersion(id: string, version: number): Promise<CampaignVersion | undefined>;
  pause(campaignId: string, pausedBy: string, pausedAt: string): Promise<void>;
  /** The pause it ended, or undefined when the campaign was not paused. */
  resume(campaignId: string): Promise<PausedCampaign | undefined>;
  pausedCampaigns(): Promise<PausedCampaign[]>;
  requestApproval(approval: PendingApproval): Promise<void>;
  pendingApprovals(): Promise<PendingApproval[]>;
  /** Takes the pending approval off the list, or undefined when there is none (already approved elsewhere). */
  takeApproval(kind: DraftKind, name: string): Promise<PendingApproval | undefined>;
}
