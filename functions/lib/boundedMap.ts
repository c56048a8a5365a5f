/**
 * A Map for what a container keeps so as not to do work again (formatted values, rebuilt links,
 * hashes, products read): it starts again when full, so keys that come from data can never grow it
 * without bound. Losing it costs only the work it saved.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly bound: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.bound) this.clear();
    return super.set(key, value);
  }

  /** Keeps the value and gives it back: `kept.get(key) ?? kept.keep(key, make(key))`. */
  keep(key: K, value: V): V {
    this.set(key, value);
    return value;
  }
}
