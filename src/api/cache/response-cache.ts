// Bounded in-memory cache of rendered responses (LRU by entry count and total bytes).
// `retainVersion` drops entries of other data versions at once.

export interface CachedResponse {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
  readonly version: string;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
}

export class ResponseCache {
  // Each record carries the tick of its last use; eviction (only when an insertion exceeds a
  // bound) drops the least recently used. A hit only stamps its record: moving the key to the
  // end of the Map (delete + set) on every hit cost ~0.5 µs and grew with the churn.
  // `extra`: bytes held beside the body for this entry (its compressed copies, see grow).
  readonly #entries = new Map<string, { entry: CachedResponse; used: number; extra: number }>();
  #bytes = 0;
  #tick = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string): CachedResponse | undefined {
    const record = this.#entries.get(key);
    if (!record) return undefined;
    record.used = ++this.#tick;
    return record.entry;
  }

  set(key: string, entry: CachedResponse): void {
    // An entry larger than a quarter of the budget would evict most of the cache for one query.
    if (this.maxEntries === 0 || entry.body.length > this.maxBytes / 4) return;
    this.#remove(key);
    this.#entries.set(key, { entry, used: ++this.#tick, extra: 0 });
    this.#bytes += entry.body.length;
    this.#evictToBounds();
  }

  /**
   * Counts `bytes` more for the entry of `key` when it is still `entry` (e.g. a compressed copy
   * made after it was stored), evicting as needed; false when that entry is no longer held
   * (then or after the eviction).
   */
  grow(key: string, entry: CachedResponse, bytes: number): boolean {
    const record = this.#entries.get(key);
    if (!record || record.entry !== entry) return false;
    record.extra += bytes;
    this.#bytes += bytes;
    this.#evictToBounds();
    return this.#entries.get(key)?.entry === entry;
  }

  /** Drops every entry rendered for another data version. */
  retainVersion(version: string): void {
    for (const [key, record] of this.#entries) if (record.entry.version !== version) this.#remove(key);
  }

  stats(): CacheStats {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  /** Drops least recently used entries until both bounds hold. */
  #evictToBounds(): void {
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) this.#remove(this.#leastRecentlyUsed());
  }

  #leastRecentlyUsed(): string {
    let oldest = '';
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [key, record] of this.#entries) {
      if (record.used < oldestUse) {
        oldest = key;
        oldestUse = record.used;
      }
    }
    return oldest;
  }

  #remove(key: string): void {
    const record = this.#entries.get(key);
    if (!record) return;
    this.#entries.delete(key);
    this.#bytes -= record.entry.body.length + record.extra;
  }
}
