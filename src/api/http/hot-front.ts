// Front lane in front of Express: the Express 5 router alone costs ~4× a bare node:http
// handler per request, so cache hits are answered here, from the raw request, with the headers
// the full pipeline produced for the same URL (helmet, CORS, caching) replayed, a fresh request
// id, the rate limit, the API-key check, metrics and the access line. Used only where replay is
// exact: CORS `*` (a list of origins needs per-request matching). Everything else goes to the
// Express app unchanged. main.ts runs it in the front thread (src/server/front-thread), where
// "the Express app" is the forwarder to it and the counter below is the thread's own;
// `requestListenerOf` runs it in the app's thread (FRONT_THREAD=false, and tests).
//
// Rate limiting uses the same counter as the Express pipeline's express-rate-limit (see
// src/api/middleware/rate-limit-store.ts): a request served here is counted here and carries the
// same RateLimit/RateLimit-Policy headers; a request that would exceed the limit, or fails the
// API-key check, is handed to Express uncounted, which counts it once and answers 429/401
// exactly as without this lane.
//
// Per request this lane does only what the response needs: the header block is a raw array
// built once per cache entry (HotEntry.raw200/raw304, a copy with the per-request values filled
// in), metric series are resolved once per entry and only add numbers (labelled-series.ts),
// ids are a prefix and a counter (newRequestId), time is read with performance.now(), and the
// access line is formatted directly in pino's form (src/logging/access-line.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
// Imported: the global `performance` is a getter on globalThis, called on every use.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { etagMatches } from '../cache/etag.js';
import { keyDigests, keyMatches } from '../middleware/api-key.js';
import { requestIdOf } from '../middleware/observability.js';
import { clientKey } from '../middleware/rate-limit-store.js';
import type { RateLimiting } from '../middleware/security.js';
import { createAccessLine } from '../../logging/access-line.js';
import { replayHeaders, type HotPath } from './hot-path.js';

export interface FrontOptions {
  readonly hot: HotPath;
  readonly logger: Logger;
  readonly apiKeys: readonly string[];
  /**
   * The rate limiting's counter and exemptions (null when off); the hot path must have been built
   * with `rateLimitHeaders`.
   */
  readonly rateLimiting: Pick<RateLimiting, 'counter' | 'exempt'> | null;
}

/**
 * `app` answers what this lane does not: the Express app in the same thread, or in the front
 * thread the forwarder to it (src/server/front-thread).
 */
export function createFrontListener(app: RequestListener, options: FrontOptions): RequestListener {
  const { hot, rateLimiting } = options;
  const digests = keyDigests(options.apiKeys);
  const accessLine = createAccessLine(options.logger, 'request completed (front cache)');
  const serve = (req: IncomingMessage, res: ServerResponse, started: number, checked: boolean): void => {
    const entry = hot.lookup(req);
    if (!entry) {
      // The URL has an entry but the periodic version check is due (e.g. after an idle second):
      // wait for that read here, as the Express path would, then look again — instead of sending
      // the request through Express only to wait there.
      const check = checked ? undefined : hot.versionCheckFor(req);
      if (check) check.then(() => serve(req, res, started, true), () => app(req, res)).catch(() => res.destroy());
      else app(req, res);
      return;
    }
    if (digests.length > 0 && !validKey(req.headers['x-api-key'], digests)) {
      app(req, res);
      return;
    }
    let rateLimit: string | undefined;
    let policy: string | undefined;
    // Entries are data routes only (never the exempt probes); checked anyway, it is one lookup.
    if (rateLimiting && !rateLimiting.exempt(entry.route)) {
      const { counter } = rateLimiting;
      const now = Date.now();
      const key = clientKey(req);
      const window = counter.tryHit(key, now);
      if (!window) {
        app(req, res);
        return;
      }
      rateLimit = counter.rateLimitHeader(window, now);
      policy = counter.policyHeader(key, window);
    }
    const id = requestIdOf(req);
    if (etagMatches(req.headers['if-none-match'], entry.etag)) {
      res.writeHead(304, replayHeaders(entry.raw304, id, rateLimit, policy));
      res.end();
      entry.series.notModified.inc();
      entry.series.duration304.observe((performance.now() - started) / 1000);
    } else {
      res.writeHead(200, replayHeaders(entry.raw200, id, rateLimit, policy));
      res.end(entry.body);
      entry.series.hit.inc();
      entry.series.duration200.observe((performance.now() - started) / 1000);
    }
    accessLine(id, 'GET', req.url ?? '', res.statusCode);
  };
  return (req, res) => serve(req, res, performance.now(), false);
}

function validKey(key: string | string[] | undefined, digests: readonly Buffer[]): boolean {
  return typeof key === 'string' && keyMatches(key, digests);
}
