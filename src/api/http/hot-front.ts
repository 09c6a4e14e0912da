// Front lane in front of Express: the Express 5 router alone costs ~4× a bare node:http
// handler per request, so cache hits are answered here, from the raw request, with the headers
// the full pipeline produced for the same URL (helmet, CORS, caching) replayed, a fresh request
// id, the API-key check, metrics and the access line. Used only where replay is exact: no
// in-process rate limiting (its counters live in the Express pipeline) and CORS `*` (a list of
// origins needs per-request matching). Everything else goes to the Express app unchanged.
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { etagMatches } from '../cache/etag.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { keyDigests, keyMatches } from '../middleware/api-key.js';
import { SANE_REQUEST_ID } from '../middleware/observability.js';
import type { HotPath } from './hot-path.js';

export interface FrontOptions {
  readonly hot: HotPath;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  readonly apiKeys: readonly string[];
}

export function createFrontListener(app: Express, options: FrontOptions): RequestListener {
  const { hot, metrics, logger } = options;
  const digests = keyDigests(options.apiKeys);
  return (req, res) => {
    const entry = hot.lookup(req);
    const key = req.headers['x-api-key'];
    if (!entry || (digests.length > 0 && (typeof key !== 'string' || !keyMatches(key, digests)))) {
      app(req, res);
      return;
    }
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    const notModified = etagMatches(req.headers['if-none-match'], entry.etag);
    res.writeHead(notModified ? 304 : 200, {
      ...entry.headers,
      'x-request-id': id,
      'x-cache': 'HIT',
      'content-length': notModified ? 0 : entry.body.length,
    });
    res.end(notModified ? undefined : entry.body);
    metrics.cache(entry.route, notModified ? 'not_modified' : 'hit');
    metrics.observeRequest('GET', entry.route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    if (logger.isLevelEnabled('info')) {
      logger.info({ req: { id, method: 'GET', url: req.url }, res: { statusCode: res.statusCode } }, 'request completed (front cache)');
    }
  };
}
