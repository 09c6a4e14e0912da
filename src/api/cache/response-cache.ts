// Bounded in-memory cache of rendered responses (LRU by entry count and total bytes). Keys
// include the data version, and `retainVersion` drops entries of older versions at once.

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
  // Map iteration order is insertion order: re-inserting on hit makes the first key the LRU one.
  readonly #entries = new Map<string, CachedResponse>();
  #bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    // An entry larger than a quarter of the budget would evict most of the cache for one query.
    if (this.maxEntries === 0 || entry.body.length > this.maxBytes / 4) return;
    this.#remove(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  /** Drops every entry rendered for another data version. */
  retainVersion(version: string): void {
    for (const [key, entry] of this.#entries) if (entry.version !== version) this.#remove(key);
  }

  stats(): CacheStats {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}
