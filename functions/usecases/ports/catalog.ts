/**
 * The catalog as the use cases need it: what runs (campaigns, published templates, pauses), cached per container
 * (Catalog), and the published records themselves (CatalogRecords). adapters/dynamo/catalogCache.ts and catalogStore.ts
 * implement them.
 */
import type { Campaign } from '../../domain/journeys/campaign';
import { type CompiledTemplate, type SubjectTemplate } from '../../domain/rendering/renderer';
import { NotFoundError } from '../../shared/errors';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { SubjectSpecs, TemplateSpecs } from '../../domain/rendering/templateSpecs';

export class TemplateNotPublishedError extends NotFoundError {
  override name = 'TemplateNotPublishedError';
  constructor(
    readonly template: string,
    readonly version?: string,
  ) {
    super(version ? `template ${template} has no version ${version}` : `template ${template} has no published version`, 'template');
  }
}

/** Where broadcasts' campaign forms come from (BroadcastStore.campaignForms). */
export interface BroadcastCampaigns {
  campaignForms(): Promise<Campaign[]>;
}

/**
 * Per-container cache of the catalog: campaigns and the LATEST pointers are re-read at most every
 * `ttlMs` of wall time (not the application clock: caching is about load, not business time); template
 * versions, loaded from their specs, are immutable and kept for the container's life, and so is a
 * version's failure to load.
 */
export interface Catalog {
  /** Whether the campaign is paused (re-read at most every few seconds: PAUSE_TTL_MS). */
  paused(campaignId: string): Promise<boolean>;
  campaigns(): Promise<Campaign[]>;
  /** A variant subject of a running campaign (its source as the campaign gives it), loaded from what publishing precompiled. */
  variantSubject(campaignId: string, source: string): Promise<SubjectTemplate>;
  /** Broadcasts as campaigns: for sending, results and /why, never for matching events (their ids are campaigns' too). */
  broadcastCampaigns(): Promise<Campaign[]>;
  /** A campaign, or a broadcast's campaign form. */
  campaign(id: string): Promise<Campaign | undefined>;
  /** A pinned version, or the one LATEST points at (re-read at most every ttlMs). */
  template(name: string, pinned?: string): Promise<CompiledTemplate>;
  /** After a local publish: the next read goes to the table. */
  invalidate(): void;
}

export class UnknownTemplateVersionError extends NotFoundError {
  override name = 'UnknownTemplateVersionError';
  constructor(
    readonly template: string,
    readonly version: string,
  ) {
    super(`template ${template} has no version ${version}`, 'name');
  }
}

/** published: LATEST now names it; unchanged: it already did; held: LATEST stays where a rollback put it. */
export type PublishOutcome = 'published' | 'unchanged' | 'held';

export interface TemplateVersionSummary {
  version: string;
  publishedAt: string;
  /** Who published it first (versions are content-addressed: a later identical publish keeps the first). */
  publishedBy?: string;
  /** What the publisher said it changes. */
  note?: string;
}

export interface TemplatePointer {
  name: string;
  version: string;
  publishedAt: string;
  /** Set when the pointer was moved back to an older version. */
  rolledBackAt?: string;
}

/** A running campaign and its variant subjects as publishing precompiled them. */
export interface RunningCampaign {
  campaign: Campaign;
  subjects: SubjectSpecs;
}

/**
 * Campaigns and published templates. Template versions are immutable and content-addressed; a
 * LATEST pointer says which version sends, so rollback is repointing, never rewriting. Beside each
 * version (SPEC#<version>) and each running campaign (`subjectSpecs`) is what publishing precompiled
 * from it, the code the send path runs: only publishing writes this table (docs/hardening.md).
 */
export interface CatalogRecords {
  /**
   * Makes `campaign` the definition that runs, and keeps it as version `campaign.version` unless that
   * number is already kept (versions are immutable: the first definition under a number stays). A
   * rollback (`rolledBack`) only repoints: the version it goes back to is kept already. `subjects`: its
   * variants' subjects, precompiled (precompileSubjects); a campaign without variant subjects has none.
   */
  putCampaign(
    campaign: Campaign,
    now: string,
    options?: {
      by?: string;
      rolledBack?: boolean;
      note?: string;
      subjects?: SubjectSpecs;
    },
  ): Promise<void>;
  /** The ids of paused campaigns (PAUSED items, written by the admin API). */
  pausedCampaignIds(): Promise<string[]>;
  listCampaigns(): Promise<Campaign[]>;
  /** The running campaigns with their precompiled variant subjects (none for one deployed before subjects were precompiled). */
  listRunningCampaigns(): Promise<RunningCampaign[]>;
  /**
   * Stores a version (versions are immutable: an existing one is left as it was) with its specs, and
   * points LATEST at it. The specs are written each time, before the pointer moves: they are what this
   * publish made from the same content, so a version stored before they existed gains them. A pointer
   * someone rolled back is held, unless `force` (a deliberate publish of this template): a routine
   * deploy must not undo a rollback.
   */
  publishTemplate(
    template: PublishedTemplate,
    specs: TemplateSpecs,
    {
      force,
      by,
      note,
    }?: {
      force?: boolean;
      by?: string;
      note?: string;
    },
  ): Promise<PublishOutcome>;
  /**
   * Points LATEST at an existing version: the next sends (after caches refresh) use it. `rolledBack`
   * (an older version than the newest) holds the pointer against routine deploys.
   */
  pointLatest(name: string, version: string, at: string, rolledBack: boolean): Promise<void>;
  /** Every version ever published, newest first (versions are never deleted: rollback needs them). */
  listTemplateVersions(name: string): Promise<TemplateVersionSummary[]>;
  /** The templates and where each LATEST points. An admin read of a small table: a filtered scan. */
  listTemplatePointers(): Promise<TemplatePointer[]>;
  latestTemplateVersion(name: string): Promise<string | undefined>;
  /** What publishing precompiled from a version; undefined for one stored without (before specs existed). */
  getTemplateSpecs(name: string, version: string): Promise<TemplateSpecs | undefined>;
  getTemplateVersion(name: string, version: string): Promise<PublishedTemplate | undefined>;
}
