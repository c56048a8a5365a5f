import type { Campaign } from '../../domain/campaign';
import { compileTemplate, TemplateRenderError, unrenderableTemplate, type CompiledTemplate } from '../../domain/rendering/renderer';
import type { CatalogStore } from './catalogStore';
import { TtlCache } from './ttlCache';

export class TemplateNotPublishedError extends Error {
  override name = 'TemplateNotPublishedError';
  constructor(
    readonly template: string,
    readonly version?: string,
  ) {
    super(version ? `template ${template} has no version ${version}` : `template ${template} has no published version`);
  }
}

/** How long a container may go on sending a campaign after it was paused elsewhere (docs/authoring.md). */
export const PAUSE_TTL_MS = 5_000;

/**
 * Per-container cache of the catalog: campaigns and the LATEST pointers are re-read at most every
 * `ttlMs` of wall time (not the application clock: caching is about load, not business time); compiled
 * template versions are immutable and kept for the container's life, and so is a version's failure to
 * compile.
 */
export class CatalogCache {
  private readonly campaignList: TtlCache<Campaign[]>;
  private readonly latest: TtlCache<string | undefined>;
  /** Paused campaigns: a kill switch, so re-read far more often than the rest. */
  private readonly pausedIds: TtlCache<Set<string>>;
  /** Versions are immutable: kept for the container's life. */
  private readonly compiled = new TtlCache<CompiledTemplate>(Infinity);

  constructor(
    private readonly store: CatalogStore,
    ttlMs = 60_000,
    pausedTtlMs = Math.min(ttlMs, PAUSE_TTL_MS),
  ) {
    this.campaignList = new TtlCache(ttlMs);
    this.latest = new TtlCache(ttlMs);
    this.pausedIds = new TtlCache(pausedTtlMs);
  }

  /** Whether the campaign is paused (re-read at most every few seconds: PAUSE_TTL_MS). */
  async paused(campaignId: string): Promise<boolean> {
    return (await this.pausedIds.get('all', async () => new Set(await this.store.pausedCampaignIds()))).has(campaignId);
  }

  campaigns(): Promise<Campaign[]> {
    return this.campaignList.get('all', () => this.store.listCampaigns());
  }

  async campaign(id: string): Promise<Campaign | undefined> {
    return (await this.campaigns()).find((c) => c.id === id);
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
      this.store.getTemplateVersion(name, version).then((published) => {
        if (!published) throw new TemplateNotPublishedError(name, version);
        try {
          return compileTemplate(published);
        } catch (error) {
          // Versions are immutable: one that does not compile never will. Kept as such, not compiled again per send.
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
  }
}
