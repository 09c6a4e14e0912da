// Fast lane for repeated requests: a GET whose exact URL was already rendered for the current
// data version is answered from memory before the per-request logging, compression and routing
// work. It runs after helmet, CORS, the rate limiter and the API-key guard, so every request is
// still limited, authenticated and carries the security headers. Anything unusual (HEAD, a stale
// version check, a gzip-capable client of a large body, an unknown URL) takes the normal path.
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { etagMatches } from '../cache/etag.js';
import { ResponseCache, type CachedResponse } from '../cache/response-cache.js';
import type { VersionTracker } from '../cache/version-tracker.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { CACHE_CONTROL } from './cache-headers.js';

export interface HotPath {
  readonly middleware: RequestHandler;
  /** Called by the cached JSON responder when it sends a 200 for `url` at `entry.version`. */
  remember(url: string, route: string, entry: CachedResponse): void;
}

interface HotEntry extends CachedResponse {
  readonly route: string;
}

export interface HotPathOptions {
  readonly tracker: VersionTracker;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Bodies at least this large are left to the compression middleware for gzip clients. */
  readonly compressionThreshold: number;
}

export function createHotPath(options: HotPathOptions): HotPath {
  const { tracker, metrics, logger } = options;
  const cache = new ResponseCache(options.maxEntries, options.maxBytes);
  let version: string | null = null;

  const send = (res: Response, status: number, entry: HotEntry, body: Buffer | null) => {
    res.writeHead(status, {
      'Content-Type': entry.contentType,
      'Content-Length': body ? body.length : 0,
      ETag: entry.etag,
      'Cache-Control': CACHE_CONTROL,
      'X-Data-Version': entry.version,
      'X-Cache': 'HIT',
      ...(entry.body.length >= options.compressionThreshold ? { Vary: 'Accept-Encoding' } : {}),
    });
    res.end(body ?? undefined);
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET') return next();
    const meta = tracker.fresh();
    if (!meta) return next();
    const entry = cache.get(`${meta.version}\u0000${req.url}`) as HotEntry | undefined;
    if (!entry) return next();
    // Exports are negotiated by Accept on the same URL: leave those to the route.
    if (/csv|ndjson/i.test(req.headers.accept ?? '')) return next();
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip && entry.body.length >= options.compressionThreshold) return next();
    const notModified = etagMatches(req.headers['if-none-match'], entry.etag);
    metrics.cache(entry.route, notModified ? 'not_modified' : 'hit');
    // The request-duration histogram (requestMetrics) labels this request with the route.
    res.locals.metricsRoute = entry.route;
    if (notModified) send(res, 304, entry, null);
    else send(res, 200, entry, entry.body);
    // Same access line as pino-http's, only when that level is on (it is off in benchmarks).
    if (logger.isLevelEnabled('info')) {
      logger.info({ req: { id: res.getHeader('X-Request-Id'), method: 'GET', url: req.url }, res: { statusCode: res.statusCode } }, 'request completed (hot cache)');
    }
  };

  return {
    middleware,
    remember(url, route, entry) {
      if (entry.version !== version) {
        version = entry.version;
        cache.retainVersion(version);
      }
      cache.set(`${entry.version}\u0000${url}`, { ...entry, route } as HotEntry);
    },
  };
}
