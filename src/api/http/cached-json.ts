// Serves a JSON response through the version-keyed cache: 304 on a matching If-None-Match
// (no data read), the cached bytes on a hit, otherwise renders, stores and sends.
import type { Request, Response } from 'express';
import type { ResponseCache } from '../cache/response-cache.js';
import { computeEtag, etagMatches } from '../cache/etag.js';
import type { VersionTracker } from '../cache/version-tracker.js';
import type { PublishMeta } from '../data/gold-reader.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { CACHE_CONTROL, JSON_TYPE } from './cache-headers.js';
import type { HotPath } from './hot-path.js';

export { CACHE_CONTROL, JSON_TYPE };

export interface CacheDeps {
  readonly tracker: Pick<VersionTracker, 'current' | 'peek' | 'fresh'>;
  readonly cache: ResponseCache;
  readonly metrics: ApiMetrics;
  readonly hot?: HotPath;
}

/** The `meta` fields every data response carries. */
export function versionMeta(meta: PublishMeta | null): { version: string | null; published_at: string | null } {
  return { version: meta?.version ?? null, published_at: meta?.publishedAt?.toISOString() ?? null };
}

export async function sendCachedJson(
  req: Request,
  res: Response,
  deps: CacheDeps,
  route: string,
  cacheKey: string,
  render: (meta: PublishMeta | null) => Promise<unknown>,
): Promise<void> {
  const meta = await deps.tracker.current();
  if (!meta) {
    // Nothing published yet (or a publisher that writes no meta): never cache unversioned data.
    deps.metrics.cache(route, 'bypass');
    const body = Buffer.from(JSON.stringify(await render(null)));
    res.status(200).type(JSON_TYPE).set('Cache-Control', 'no-cache').send(body);
    return;
  }
  const key = `${route}\u0000${cacheKey}\u0000${meta.version}`;
  const entry = deps.cache.get(key);
  const etag = entry?.etag ?? computeEtag(meta.version, route, cacheKey);
  res.set({ ETag: etag, 'Cache-Control': CACHE_CONTROL, 'X-Data-Version': meta.version });
  const ifNoneMatch = req.headers['if-none-match'];
  // `*` matches only a representation that exists (RFC 9110 13.1.2): with nothing cached, render
  // first — an empty collection answers its 503 — and then say 304. A listed tag was a 200 of
  // this version, so its representation exists and no data is read.
  const wildcard = ifNoneMatch?.trim() === '*';
  const notModified = (): void => {
    deps.metrics.cache(route, 'not_modified');
    // The 200's Vary (RFC 9110 15.4.5), which the compression middleware adds only to bodies.
    res.vary('Accept-Encoding');
    res.status(304).end();
  };
  if (etagMatches(ifNoneMatch, etag) && (entry || !wildcard)) {
    notModified();
    return;
  }
  if (entry) {
    deps.metrics.cache(route, 'hit');
    deps.hot?.remember(req.originalUrl, route, entry, { ...res.getHeaders(), 'content-type': entry.contentType });
    res.status(200).set('X-Cache', 'HIT').type(entry.contentType).send(entry.body);
    return;
  }
  deps.metrics.cache(route, 'miss');
  const body = Buffer.from(JSON.stringify(await render(meta)));
  const fresh = { body, etag, contentType: JSON_TYPE, version: meta.version };
  deps.cache.set(key, fresh);
  deps.hot?.remember(req.originalUrl, route, fresh, { ...res.getHeaders(), 'content-type': JSON_TYPE });
  if (wildcard) {
    notModified();
    return;
  }
  res.status(200).set('X-Cache', 'MISS').type(JSON_TYPE).send(body);
}
