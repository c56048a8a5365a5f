import type { Campaign } from '../../domain/journeys/campaign';
import {
  loadSpec,
  loadTemplate,
  TemplateRenderError,
  unrenderableTemplate,
  type CompiledTemplate,
  type SubjectTemplate,
} from '../../domain/rendering/renderer';
import type { TemplateSpec } from '../../domain/rendering/templateSpecs';
import { BoundedMap } from '../../lib/boundedMap';
import type { CatalogStore, RunningCampaign } from './catalogStore';
import { TtlCache } from '../../lib/ttlCache';
import { TemplateNotPublishedError, type BroadcastCampaigns, type Catalog } from '../../usecases/ports/catalog';
export { TemplateNotPublishedError } from '../../usecases/ports/catalog';
export type { BroadcastCampaigns } from '../../usecases/ports/catalog';

/** How long a container may go on sending a campaign after it was paused elsewhere (docs/authoring.md). */
export const PAUSE_TTL_MS = 5_000;

/** A variant subject the catalog has no spec for: its campaign was deployed before subjects were precompiled. */
const unprecompiledSubject: SubjectTemplate = () => {
  throw new Error("the variant's subject was deployed without its precompiled form: deploy the campaign again");
};

/**
 * Per-container cache of the catalog: campaigns and the LATEST pointers are re-read at most every
 * `ttlMs` of wall time (not the application clock: caching is about load, not business time); template
 * versions, loaded from their specs, are immutable and kept for the container's life, and so is a
 * version's failure to load.
 */
export class CatalogCache implements Catalog {
  private readonly campaignList: TtlCache<RunningCampaign[]>;
  private readonly latest: TtlCache<string | undefined>;
  /** Paused campaigns: a kill switch, so re-read far more often than the rest. */
  private readonly pausedIds: TtlCache<Set<string>>;
  /** Broadcasts' campaign forms: a cancel is a kill switch too, so re-read as often as pauses. */
  private readonly broadcastList: TtlCache<Campaign[]>;
  /** Versions are immutable: kept for the container's life. */
  private readonly compiled = new TtlCache<CompiledTemplate>(Infinity);
  /** Variant subjects by spec: specs never change, and a container sees a few campaigns' worth. */
  private readonly subjects = new BoundedMap<TemplateSpec, SubjectTemplate>(256);

  private readonly broadcasts?: BroadcastCampaigns;

  /** `ttlMs` for campaigns and LATEST pointers; pauses and broadcasts (kill switches) at most PAUSE_TTL_MS. */
  constructor(
    private readonly store: CatalogStore,
    {
      ttlMs = 60_000,
      pausedTtlMs = Math.min(ttlMs, PAUSE_TTL_MS),
      broadcasts,
    }: { ttlMs?: number; pausedTtlMs?: number; broadcasts?: BroadcastCampaigns } = {},
  ) {
    this.broadcasts = broadcasts;
    this.campaignList = new TtlCache(ttlMs);
    this.latest = new TtlCache(ttlMs);
    this.pausedIds = new TtlCache(pausedTtlMs);
    this.broadcastList = new TtlCache(pausedTtlMs);
  }

  /** Whether the campaign is paused (re-read at most every few seconds: PAUSE_TTL_MS). */
  async paused(campaignId: string): Promise<boolean> {
    return (await this.pausedIds.get('all', async () => new Set(await this.store.pausedCampaignIds()))).has(campaignId);
  }

  async campaigns(): Promise<Campaign[]> {
    return (await this.running()).map((running) => running.campaign);
  }

  private running(): Promise<RunningCampaign[]> {
    return this.campaignList.get('all', () => this.store.listRunningCampaigns());
  }

  /**
   * A variant subject of a running campaign or a broadcast (its source as the campaign gives it), loaded from
   * what publishing, or scheduling the broadcast, precompiled.
   */
  async variantSubject(campaignId: string, source: string): Promise<SubjectTemplate> {
    const specs =
      (await this.running()).find((r) => r.campaign.id === campaignId)?.subjects ??
      (await this.broadcastCampaigns()).find((c) => c.id === campaignId)?.broadcast?.subjects;
    const spec = specs && Object.hasOwn(specs, source) ? specs[source]! : undefined;
    if (!spec) return unprecompiledSubject;
    return this.subjects.get(spec) ?? this.subjects.keep(spec, loadSpec(spec));
  }

  /** Broadcasts as campaigns: for sending, results and /why, never for matching events (their ids are campaigns' too). */
  broadcastCampaigns(): Promise<Campaign[]> {
    const broadcasts = this.broadcasts;
    return broadcasts ? this.broadcastList.get('all', () => broadcasts.campaignForms()) : Promise.resolve([]);
  }

  /** A campaign, or a broadcast's campaign form. */
  async campaign(id: string): Promise<Campaign | undefined> {
    return (await this.campaigns()).find((c) => c.id === id) ?? (await this.broadcastCampaigns()).find((c) => c.id === id);
  }

  /** A pinned version, or the one LATEST points at (re-read at most every ttlMs). */
  async template(name: string, pinned?: string): Promise<CompiledTemplate> {
    if (pinned) return this.compiledVersion(name, pinned);
    const version = await this.latest.get(name, () => this.store.latestTemplateVersion(name));
    if (!version) throw new TemplateNotPublishedError(name);
    return this.compiledVersion(name, version);
  }

  private compiledVersion(name: string, version: string): Promise<CompiledTemplate> {
    return this.compiled.get(`${name}@${version}`, () =>
      Promise.all([this.store.getTemplateVersion(name, version), this.store.getTemplateSpecs(name, version)]).then(([published, specs]) => {
        if (!published) throw new TemplateNotPublishedError(name, version);
        try {
          return loadTemplate(published, specs);
        } catch (error) {
          // Versions are immutable: one that does not load will not. Kept as such, not loaded again per send.
          if (error instanceof TemplateRenderError) return unrenderableTemplate(published, error);
          throw error;
        }
      }),
    );
  }

  /** After a local publish: the next read goes to the table. */
  invalidate(): void {
    this.campaignList.clear();
    this.latest.clear();
    this.pausedIds.clear();
    this.broadcastList.clear();
  }
}
