/**
 * A Map that drops its oldest entry when full: for the per-process caches (clients, seen
 * conversations, answers) that only save work and can always be rebuilt.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
