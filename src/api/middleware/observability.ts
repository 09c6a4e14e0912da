// pino-http with request ids (X-Request-Id honoured when sane, echoed back) and the request
// duration histogram, labelled by route pattern (never the raw URL, to bound cardinality).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ApiMetrics } from '../metrics/api-metrics.js';

export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Generated ids: a random per-process prefix and a counter (pino-http's own default is a bare
// counter). Unique within the process, and across processes and restarts by the 64 random bits;
// a UUID per request cost a crypto call on the hottest path for no more than that.
const ID_PREFIX = randomBytes(8).toString('hex');
let idCounter = 0;

/** A fresh request id: `<16 random hex digits>-<counter in base 36>`. */
export function newRequestId(): string {
  idCounter = idCounter === Number.MAX_SAFE_INTEGER ? 1 : idCounter + 1;
  return `${ID_PREFIX}-${idCounter.toString(36)}`;
}

/** The request's id: a sane incoming X-Request-Id, else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : newRequestId();
}

/** First middleware: every response, even a rejected or hot-cached one, carries an id. */
export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdOf(req);
  res.setHeader('X-Request-Id', id);
  (req as { id?: string }).id = id;
  next();
};

export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req) => (req as { id?: string }).id ?? newRequestId(),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Keep access lines short: method, url, status, time, id.
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

export function requestMetrics(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const hot = res.locals.metricsRoute as string | undefined;
      const route = hot ?? (req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched');
      metrics.observeRequest(req.method, route, res.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}
