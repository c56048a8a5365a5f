/**
 * Reads kept per container for `ttlMs` of wall time (caching is about load, not business time). The
 * pending read itself is kept, so callers at the same moment share one request; a failed read is
 * forgotten, so the next caller tries again. A time to live of 0 keeps nothing.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const entry = { at: now, value: load() };
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }
}
