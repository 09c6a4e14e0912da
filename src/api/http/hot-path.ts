// Fast lane for repeated requests: a GET whose exact URL was already rendered for the current
// data version is answered from memory before the per-request logging, compression and routing
// work. It runs after helmet, CORS, the rate limiter and the API-key guard, so every request is
// still limited, authenticated and carries the security headers. Clients that accept br or gzip
// get a large body's compressed copy, made once per entry (content-coding.ts). Anything unusual
// (HEAD, a stale version check, a coding not kept yet, an unknown URL) takes the normal path.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { etagMatches } from '../cache/etag.js';
import { ResponseCache, type CacheStats, type CachedResponse } from '../cache/response-cache.js';
import type { VersionTracker } from '../cache/version-tracker.js';
import type { RequestPathMetrics } from '../metrics/api-metrics.js';
import { CACHE_BUSTER } from '../query/parse-list-query.js';
import { createAccessLine } from '../../logging/access-line.js';
import { CACHE_CONTROL } from './cache-headers.js';
import { chooseCoding, encodeBody, type Coding } from './content-coding.js';

export interface HotPath {
  readonly middleware: RequestHandler;
  /**
   * Called by the cached JSON responder when it sends a 200 for `url` at `entry.version`, with
   * the response's headers at that point (security, CORS, caching) for the front lane to replay.
   */
  remember(url: string, route: string, entry: CachedResponse, headers: OutgoingHttpHeaders): void;
  /** The entry a raw request may be answered with (same rules as the middleware), if any. */
  lookup(req: IncomingMessage): HotEntry | undefined;
  /**
   * When `lookup` finds nothing only because the version check is due (an entry exists for the
   * URL), the read to wait for before looking again; else undefined.
   */
  versionCheckFor(req: IncomingMessage): Promise<unknown> | undefined;
  /** Entries and bytes held (the replayable entries and their compressed copies), for /metrics. */
  stats(): CacheStats;
}

/** node:http's raw header form: [name, value, name, value, …]. */
export type RawHeaders = Array<string | number | string[]>;

export interface HotEntry extends CachedResponse {
  readonly route: string;
  /** Replayable headers of the original response (per-request ones removed). */
  readonly headers: OutgoingHttpHeaders;
  /**
   * The whole header block of a 200 and of a 304 as raw arrays, built once per entry: the
   * replayed headers, `x-cache`, `content-length`, with rate limiting `ratelimit` and
   * `ratelimit-policy`, and last `x-request-id`, those three with empty values that the caller
   * fills in on a copy (see `replayHeaders`).
   */
  readonly raw200: Readonly<RawHeaders>;
  readonly raw304: Readonly<RawHeaders>;
  /**
   * Set on a compressed copy of an entry (same entry otherwise: `body` and `raw200` are the
   * compressed body's, with `content-encoding`). Absent on the identity entry.
   */
  readonly contentEncoding?: Coding;
  /** The entry's compressed copies, shared by the entry and its copies; filled in when ready. */
  readonly encoded: { br?: HotEntry; gzip?: HotEntry; pending?: Set<Coding> };
  /** Metric series of this route, resolved once (no label lookup per request). */
  readonly series: {
    readonly hit: { inc(): void };
    readonly notModified: { inc(): void };
    readonly duration200: { observe(seconds: number): void };
    readonly duration304: { observe(seconds: number): void };
  };
}

/**
 * A copy of `raw` (a HotEntry's raw200/raw304) with the request id filled in, and the values of
 * `RateLimit` and `RateLimit-Policy` when the hot path was built with `rateLimitHeaders`.
 */
export function replayHeaders(raw: Readonly<RawHeaders>, requestId: string, rateLimit?: string, policy?: string): RawHeaders {
  const headers = raw.slice();
  const last = headers.length - 1;
  headers[last] = requestId;
  if (rateLimit !== undefined && policy !== undefined) {
    headers[last - 4] = rateLimit;
    headers[last - 2] = policy;
  }
  return headers;
}

/**
 * The URL the hot caches key on: `url` without `_` parameters, so `/kpis?_=1700000000000` and
 * `/kpis` share one entry (they are the same response) instead of filling the cache with
 * one-shot URLs. Undefined (never cached, never answered from the hot caches) for a URL with a
 * `#`: Express's URL parser ends the query there, so `/scores?_=1#&segment=VIP` renders plain
 * /scores, which the key `/scores?segment=VIP` would then have replayed to every client (found
 * by an audit). Browsers never send a fragment.
 */
export function hotCacheKey(url: string): string | undefined {
  if (url.includes('#')) return undefined;
  const q = url.indexOf('?');
  if (q < 0 || !url.includes(CACHE_BUSTER, q)) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((part) => part !== CACHE_BUSTER && !part.startsWith(`${CACHE_BUSTER}=`));
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

/** Headers that belong to one request/response and must not be replayed. */
const PER_REQUEST_HEADERS = /^(x-request-id|x-cache|content-length|content-encoding|set-cookie|retry-after|ratelimit.*)$/i;

export interface HotPathOptions {
  /** The version check (the app's tracker, or in the front thread one fed by the app's). */
  readonly tracker: Pick<VersionTracker, 'current' | 'fresh'>;
  readonly metrics: Pick<RequestPathMetrics, 'cacheSeries' | 'requestSeries'>;
  readonly logger: Logger;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Bodies at least this large are left to the compression middleware for gzip clients. */
  readonly compressionThreshold: number;
  /** Rate limiting is on: the raw header blocks get `ratelimit`/`ratelimit-policy` slots. */
  readonly rateLimitHeaders?: boolean;
}

export function createHotPath(options: HotPathOptions): HotPath {
  const { tracker, metrics } = options;
  const accessLine = createAccessLine(options.logger, 'request completed (hot cache)');
  const cache = new ResponseCache(options.maxEntries, options.maxBytes);
  let version: string | null = null;

  const send = (res: Response, status: number, entry: HotEntry, body: Buffer | null) => {
    // The entry's Vary (the route's, then Accept-Encoding: see remember), appended to what the
    // pipeline set (CORS with a list of origins varies by Origin): one in writeHead's object
    // would replace it.
    res.vary(String(entry.headers.vary));
    res.writeHead(status, {
      // A 304 carries no representation metadata (RFC 9110 15.4.5; see notModifiedHeaders).
      ...(body ? { 'Content-Type': entry.contentType, 'Content-Length': body.length } : {}),
      ETag: entry.etag,
      'Cache-Control': CACHE_CONTROL,
      'X-Data-Version': entry.version,
      'X-Cache': 'HIT',
      ...(entry.contentEncoding && body ? { 'Content-Encoding': entry.contentEncoding } : {}),
    });
    res.end(body ?? undefined);
  };

  /** Compresses `entry`'s body as `coding` in the background; the copy is served once ready. */
  const encodeLater = (key: string, entry: HotEntry, coding: Coding): void => {
    const pending = (entry.encoded.pending ??= new Set());
    if (pending.has(coding)) return;
    pending.add(coding);
    encodeBody(entry.body, coding).then(
      (body) => {
        // Only while the entry is still cached (and then counted in the cache's byte budget).
        if (!cache.grow(key, entry, body.length)) return;
        const headers = { ...entry.headers, 'content-encoding': coding };
        entry.encoded[coding] = { ...entry, body, contentEncoding: coding, raw200: rawHeaders(headers, body.length, options.rateLimitHeaders) };
      },
      (error: unknown) => options.logger.warn({ err: error, route: entry.route, coding }, 'could not compress a cached body; the compression middleware serves it'),
    );
  };

  /** The entry (or its compressed copy) `req`'s URL may be answered with, whatever its version. */
  const candidate = (req: IncomingMessage): HotEntry | undefined => {
    if (req.method !== 'GET') return undefined;
    // Keyed by URL alone (one version is held at a time, see remember): no key to build per request.
    const key = hotCacheKey(req.url ?? '');
    if (key === undefined) return undefined;
    const entry = cache.get(key) as HotEntry | undefined;
    if (!entry) return undefined;
    // Exports are negotiated by Accept on the same URL: leave those to the route.
    if (/csv|ndjson/i.test(req.headers.accept ?? '')) return undefined;
    if (entry.body.length < options.compressionThreshold) return entry;
    const coding = chooseCoding(req.headers['accept-encoding']);
    if (coding === 'identity') return entry;
    if (coding !== 'br' && coding !== 'gzip') return undefined;
    const copy = entry.encoded[coding];
    if (copy) return copy;
    encodeLater(key, entry, coding);
    return undefined;
  };

  const lookup = (req: IncomingMessage): HotEntry | undefined => {
    const meta = tracker.fresh();
    if (!meta) return undefined;
    const entry = candidate(req);
    return entry?.version === meta.version ? entry : undefined;
  };

  const versionCheckFor = (req: IncomingMessage): Promise<unknown> | undefined =>
    tracker.fresh() === undefined && candidate(req) ? tracker.current() : undefined;

  const middleware: RequestHandler = (req, res, next) => {
    const entry = lookup(req);
    if (!entry) return next();
    const notModified = etagMatches(req.headers['if-none-match'], entry.etag);
    (notModified ? entry.series.notModified : entry.series.hit).inc();
    // The request-duration histogram (requestMetrics) labels this request with the route.
    res.locals.metricsRoute = entry.route;
    if (notModified) send(res, 304, entry, null);
    else send(res, 200, entry, entry.body);
    // Same access line as pino-http's, when that level is on (info, the default).
    accessLine(String(res.getHeader('X-Request-Id')), 'GET', req.url, res.statusCode);
  };

  return {
    stats: () => cache.stats(),
    middleware,
    lookup,
    versionCheckFor,
    remember(url, route, entry, headers) {
      if (entry.version !== version) {
        version = entry.version;
        cache.retainVersion(version);
      }
      const key = hotCacheKey(url);
      if (key === undefined) return;
      // The responder remembers on its own cache hits too: keep the entry held for the same
      // representation (same version and ETag), with its compressed copies (replacing it would
      // orphan copies being made). Not by body identity: the front thread gets copies.
      const held = cache.get(key) as HotEntry | undefined;
      if (held?.version === entry.version && held.etag === entry.etag) return;
      const replay: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) if (value !== undefined && !PER_REQUEST_HEADERS.test(name)) replay[name] = value;
      replay['cache-control'] = CACHE_CONTROL;
      // Added to what the route set (`Accept` where it exports), as the compression middleware
      // adds it later to every JSON response of the Express path, small ones included.
      replay.vary = replay.vary ? `${String(replay.vary)}, Accept-Encoding` : 'Accept-Encoding';
      const hotEntry: HotEntry = {
        ...entry,
        route,
        headers: replay,
        raw200: rawHeaders(replay, entry.body.length, options.rateLimitHeaders),
        raw304: rawHeaders(notModifiedHeaders(replay), null, options.rateLimitHeaders),
        encoded: {},
        series: {
          hit: metrics.cacheSeries(route, 'hit'),
          notModified: metrics.cacheSeries(route, 'not_modified'),
          duration200: metrics.requestSeries('GET', route, 200),
          duration304: metrics.requestSeries('GET', route, 304),
        },
      };
      cache.set(key, hotEntry);
    },
  };
}

/**
 * A 304's replayed headers: the 200's without its content type. RFC 9110 (15.4.5) wants the
 * validators and caching headers of the 200 and no other representation metadata, and a
 * Content-Length only if it were the 200's: rawHeaders leaves it out (as the Express path does).
 */
function notModifiedHeaders(replay: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const { 'content-type': _type, ...rest } = replay;
  return rest;
}

/** A HotEntry's raw header block (see HotEntry.raw200): `replay`, then the fixed tail (no length: a 304). */
function rawHeaders(replay: OutgoingHttpHeaders, contentLength: number | null, rateLimitHeaders = false): RawHeaders {
  return [
    ...Object.entries(replay).flatMap(([name, value]) => [name, value as string | number | string[]]),
    'x-cache',
    'HIT',
    ...(contentLength === null ? [] : ['content-length', contentLength]),
    ...(rateLimitHeaders ? ['ratelimit', '', 'ratelimit-policy', ''] : []),
    'x-request-id',
    '',
  ];
}
