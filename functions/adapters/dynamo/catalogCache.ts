import type { Campaign } from '../../domain/campaign';
import { compileTemplate, type CompiledTemplate } from '../../domain/rendering/renderer';
import type { CatalogStore } from './catalogStore';

export class TemplateNotPublishedError extends Error {
  override name = 'TemplateNotPublishedError';
  constructor(
    readonly template: string,
    readonly version?: string,
  ) {
    super(version ? `template ${template} has no version ${version}` : `template ${template} has no published version`);
  }
}

/**
 * Per-container cache of the catalog: campaigns and the LATEST pointers are re-read at most every
 * `ttlMs` of wall time (not the application clock: caching is about load, not business time); compiled template versions are immutable and kept for the container's life.
 */
export class CatalogCache {
  private campaignsCache?: { at: number; value: Promise<Campaign[]> };
  private readonly latest = new Map<string, { at: number; value: Promise<string | undefined> }>();
  private readonly compiled = new Map<string, Promise<CompiledTemplate>>();

  constructor(
    private readonly store: CatalogStore,
    private readonly ttlMs = 60_000,
  ) {}

  campaigns(): Promise<Campaign[]> {
    const now = Date.now();
    if (!this.campaignsCache || now - this.campaignsCache.at > this.ttlMs) {
      const value = this.store.listCampaigns();
      value.catch(() => (this.campaignsCache = undefined));
      this.campaignsCache = { at: now, value };
    }
    return this.campaignsCache.value;
  }

  async campaign(id: string): Promise<Campaign | undefined> {
    return (await this.campaigns()).find((c) => c.id === id);
  }

  /** A pinned version, or the one LATEST points at (re-read at most every ttlMs). */
  async template(name: string, pinned?: string): Promise<CompiledTemplate> {
    if (pinned) return this.compiledVersion(name, pinned);
    const now = Date.now();
    let pointer = this.latest.get(name);
    if (!pointer || now - pointer.at > this.ttlMs) {
      pointer = { at: now, value: this.store.latestTemplateVersion(name) };
      pointer.value.catch(() => this.latest.delete(name));
      this.latest.set(name, pointer);
    }
    const version = await pointer.value;
    if (!version) throw new TemplateNotPublishedError(name);
    return this.compiledVersion(name, version);
  }

  private compiledVersion(name: string, version: string): Promise<CompiledTemplate> {
    const key = `${name}@${version}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.store.getTemplateVersion(name, version).then((published) => {
        if (!published) throw new TemplateNotPublishedError(name, version);
        return compileTemplate(published);
      });
      compiled.catch(() => this.compiled.delete(key));
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  /** After a local publish: the next read goes to the table. */
  invalidate(): void {
    this.campaignsCache = undefined;
    this.latest.clear();
  }
}
