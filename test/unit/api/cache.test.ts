import { describe, expect, it } from 'vitest';
import { computeEtag, etagMatches } from '../../../src/api/cache/etag.js';
import { ResponseCache, type CachedResponse } from '../../../src/api/cache/response-cache.js';
import { createVersionTracker } from '../../../src/api/cache/version-tracker.js';
import type { PublishMeta } from '../../../src/api/data/gold-reader.js';

const entry = (bytes: number, version = 'v1'): CachedResponse => ({ body: Buffer.alloc(bytes), etag: '"e"', contentType: 'application/json', version });

describe('ResponseCache', () => {
  it('evicts the least recently used entry beyond the entry bound', () => {
    const cache = new ResponseCache(2, 1000);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    cache.get('a');
    cache.set('c', entry(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('keeps the total size within the byte bound and skips oversized bodies', () => {
    const cache = new ResponseCache(100, 1000);
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, entry(240));
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    expect(cache.stats().entries).toBe(4);
    cache.set('huge', entry(600));
    expect(cache.get('huge')).toBeUndefined();
  });

  it('drops entries of other versions when the version changes', () => {
    const cache = new ResponseCache(10, 1000);
    cache.set('x|v1', entry(10, 'v1'));
    cache.set('x|v2', entry(10, 'v2'));
    cache.retainVersion('v2');
    expect(cache.stats()).toEqual({ entries: 1, bytes: 10 });
  });

  it('counts bytes added to a held entry (its compressed copies) and evicts to stay within the bound', () => {
    // A body may take up to a quarter of the bytes (30 of 120); its copies are counted beside it.
    const cache = new ResponseCache(10, 120);
    const a = entry(30);
    cache.set('a', a);
    cache.set('b', entry(30));
    expect(cache.grow('a', a, 20)).toBe(true);
    expect(cache.stats()).toEqual({ entries: 2, bytes: 80 });
    // Not the entry held under that key (replaced meanwhile): nothing counted.
    expect(cache.grow('a', entry(30), 5)).toBe(false);
    expect(cache.grow('missing', a, 5)).toBe(false);
    expect(cache.stats().bytes).toBe(80);
    // Over the bound: the least recently used entry (b) goes; removing a releases its extra bytes too.
    cache.get('a');
    expect(cache.grow('a', a, 50)).toBe(true);
    expect(cache.stats()).toEqual({ entries: 1, bytes: 100 });
    cache.retainVersion('v2');
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
    // An entry that no longer fits with its copy evicts itself: reported as not held.
    const big = entry(30);
    cache.set('big', big);
    expect(cache.stats()).toEqual({ entries: 1, bytes: 30 });
    expect(cache.grow('big', big, 100)).toBe(false);
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  it('caches nothing when bounded to zero entries', () => {
    const cache = new ResponseCache(0, 1000);
    cache.set('a', entry(1));
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('version tracker', () => {
  it('reads the meta at most once per interval and reports changes', async () => {
    let now = 0;
    let reads = 0;
    let version = 'v1';
    const changes: Array<string | null> = [];
    const tracker = createVersionTracker(
      async (): Promise<PublishMeta> => {
        reads++;
        return { version, publishedAt: null, served: {} };
      },
      1000,
      (m) => changes.push(m?.version ?? null),
      () => now,
    );
    expect((await tracker.current())?.version).toBe('v1');
    version = 'v2';
    now = 999;
    expect((await tracker.current())?.version).toBe('v1');
    now = 1000;
    expect((await tracker.current())?.version).toBe('v2');
    expect(reads).toBe(2);
    expect(changes).toEqual(['v1', 'v2']);
  });

  it('renews a value asked for late in the interval before it expires, so it is never found stale under traffic', async () => {
    let now = 0;
    let reads = 0;
    const tracker = createVersionTracker(
      async (): Promise<PublishMeta> => {
        reads++;
        return { version: `v${reads}`, publishedAt: null, served: {} };
      },
      1000,
      () => undefined,
      () => now,
    );
    expect(tracker.fresh()).toBeUndefined();
    await tracker.current();
    now = 899;
    expect(tracker.fresh()?.version).toBe('v1');
    expect(reads).toBe(1);
    now = 900;
    // Still the checked value, and the next read has started (once, however often it is asked).
    expect(tracker.fresh()?.version).toBe('v1');
    expect(tracker.fresh()?.version).toBe('v1');
    expect(reads).toBe(2);
    await new Promise((resolve) => setImmediate(resolve)); // the started read completes (at now = 900)
    now = 1899;
    expect(tracker.fresh()?.version).toBe('v2');
    // Without requests in the last tenth, the value expires as before.
    now = 2900;
    expect(tracker.fresh()).toBeUndefined();
  });

  it('shares one read between concurrent callers', async () => {
    let reads = 0;
    const tracker = createVersionTracker(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return null;
    }, 0, () => undefined);
    await Promise.all([tracker.current(), tracker.current(), tracker.current()]);
    expect(reads).toBe(1);
  });
});

describe('ETags', () => {
  it('differ by version, route and query and match If-None-Match lists', () => {
    const tag = computeEtag('v1', '/monthly', 'q');
    expect(tag).not.toBe(computeEtag('v2', '/monthly', 'q'));
    expect(tag).not.toBe(computeEtag('v1', '/daily', 'q'));
    expect(tag).not.toBe(computeEtag('v1', '/monthly', 'q2'));
    expect(etagMatches(`"other", ${tag}`, tag)).toBe(true);
    expect(etagMatches(`W/${tag}`, tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('"other"', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
  });
});
