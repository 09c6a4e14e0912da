// Front lane in front of Express: the Express 5 router alone costs ~4× a bare node:http
// handler per request, so cache hits are answered here, from the raw request, with the headers
// the full pipeline produced for the same URL (helmet, CORS, caching) replayed, a fresh request
// id, the API-key check, metrics and the access line. Used only where replay is exact: no
// in-process rate limiting (its counters live in the Express pipeline) and CORS `*` (a list of
// origins needs per-request matching). Everything else goes to the Express app unchanged.
//
// Per request this lane does only what the response needs: the header block is a raw array
// built once per cache entry (HotEntry.raw200/raw304, a copy with the id filled in), metric
// series are resolved once per entry, ids are a prefix and a counter (newRequestId) and time is
// read with performance.now().
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { etagMatches } from '../cache/etag.js';
import { keyDigests, keyMatches } from '../middleware/api-key.js';
import { requestIdOf } from '../middleware/observability.js';
import { replayHeaders, type HotPath } from './hot-path.js';

export interface FrontOptions {
  readonly hot: HotPath;
  readonly logger: Logger;
  readonly apiKeys: readonly string[];
}

export function createFrontListener(app: Express, options: FrontOptions): RequestListener {
  const { hot, logger } = options;
  const digests = keyDigests(options.apiKeys);
  return (req, res) => {
    const entry = hot.lookup(req);
    if (!entry || (digests.length > 0 && !validKey(req.headers['x-api-key'], digests))) {
      app(req, res);
      return;
    }
    const started = performance.now();
    const id = requestIdOf(req);
    if (etagMatches(req.headers['if-none-match'], entry.etag)) {
      res.writeHead(304, replayHeaders(entry.raw304, id));
      res.end();
      entry.series.notModified.inc();
      entry.series.duration304.observe((performance.now() - started) / 1000);
    } else {
      res.writeHead(200, replayHeaders(entry.raw200, id));
      res.end(entry.body);
      entry.series.hit.inc();
      entry.series.duration200.observe((performance.now() - started) / 1000);
    }
    if (logger.isLevelEnabled('info')) {
      logger.info({ req: { id, method: 'GET', url: req.url }, res: { statusCode: res.statusCode } }, 'request completed (front cache)');
    }
  };
}

function validKey(key: string | string[] | undefined, digests: readonly Buffer[]): boolean {
  return typeof key === 'string' && keyMatches(key, digests);
}
