// Builds the Express app of the serving API. Never listens (src/main.ts does), so tests drive it
// with supertest. All dataset routes are generated from the catalog.
import type { RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import compression from 'compression';
import express, { type Express } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { ResponseCache } from './api/cache/response-cache.js';
import { createVersionTracker } from './api/cache/version-tracker.js';
import { createGoldReader } from './api/data/gold-reader.js';
import { createLifecycle, type Lifecycle } from './api/lifecycle.js';
import { createApiMetrics } from './api/metrics/api-metrics.js';
import { apiKeyGuard } from './api/middleware/api-key.js';
import { errorHandler, notFound } from './api/middleware/error-handler.js';
import { createFrontListener } from './api/http/hot-front.js';
import { createHotPath, type HotPath } from './api/http/hot-path.js';
import type { FrontLink } from './api/front-link.js';
import { requestId, requestLogging, requestMetrics } from './api/middleware/observability.js';
import { corsPolicy, PROBE_PATHS, rateLimiter, securityHeaders } from './api/middleware/security.js';
import { createDocsRouter, loadOpenApi } from './api/routes/docs-routes.js';
import { createHealthRouter } from './api/routes/health-routes.js';
import { createKpisRouter } from './api/routes/kpis-route.js';
import { createListRouter } from './api/routes/list-routes.js';
import { catalogEndpoints, dataEndpoints } from './catalog/gold-catalog.js';
import type { Config } from './config/config.js';
import { ROUTING } from './server/routing.js';
import { createDashboardRouter } from './dashboard/router.js';

export type ApiConfig = Pick<
  Config,
  'CORS_ORIGINS' | 'API_KEYS' | 'RATE_LIMIT_PER_MINUTE' | 'QUERY_TIMEOUT_MS' | 'CACHE_MAX_ENTRIES' | 'CACHE_MAX_BYTES' | 'CACHE_VERSION_CHECK_MS'
>;

export interface CreateAppOptions {
  readonly db: Db;
  readonly config: ApiConfig;
  readonly logger: Logger;
  /** Shared with main's SIGTERM handler; readiness turns 503 once `shuttingDown` is set. */
  readonly lifecycle?: Lifecycle;
  /** Process-level default metrics (CPU, heap, event loop); off in tests, which build many apps. */
  readonly collectDefaultMetrics?: boolean;
  /**
   * A front thread answering cache hits (src/server/front-thread; main.ts starts it when
   * `frontThreadApplies`): it gets every replayable response, its version checks are answered
   * here, and its figures are added to /metrics.
   */
  readonly front?: FrontLink;
}

/** Paths served besides the catalog's endpoints (kept in one place for the OpenAPI test). */
export const OPERATIONAL_PATHS = Object.freeze(['/livez', '/readyz', '/metrics', '/openapi.json', '/docs'] as const);

/** Bodies below this size are not worth compressing (most single-page responses of the seed). */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * Whether cache hits can be answered outside the Express pipeline (the front lane in this thread,
 * or the front thread): only where replaying a response's headers is exact, i.e. CORS `*` (a
 * list of origins needs per-request matching).
 */
export function frontLaneApplies(config: Pick<Config, 'CORS_ORIGINS'>): boolean {
  return config.CORS_ORIGINS.length === 0 || config.CORS_ORIGINS.includes('*');
}

export function createApp(options: CreateAppOptions): Express {
  const { db, config, front } = options;
  const logger = options.logger.child({ module: 'api' });
  const lifecycle = options.lifecycle ?? createLifecycle();
  const reader = createGoldReader(db, config.QUERY_TIMEOUT_MS);
  const cache = new ResponseCache(config.CACHE_MAX_ENTRIES, config.CACHE_MAX_BYTES);
  const tracker = createVersionTracker(reader.readMeta, config.CACHE_VERSION_CHECK_MS, (meta) => {
    if (meta) cache.retainVersion(meta.version);
    logger.info({ version: meta?.version ?? null }, 'gold version changed');
  });
  front?.serveVersionChecks(tracker);
  // The front thread's hot cache, as last reported (it holds its own copies of the entries).
  let frontHotCache = { entries: 0, bytes: 0 };
  const metrics = createApiMetrics({
    collectDefaults: options.collectDefaultMetrics ?? false,
    cacheStats: () => cache.stats(),
    // Read at scrape time only, when `hot` (built with these metrics) exists.
    hotCacheStats: () => {
      const own = hot.stats();
      return { entries: own.entries + frontHotCache.entries, bytes: own.bytes + frontHotCache.bytes };
    },
    // The version is checked on a scrape too (at most once per interval, like any request), so
    // the age follows a republish without data traffic; while MongoDB is down, the last one seen.
    versionAge: async () => {
      const meta = await tracker.current().catch(() => tracker.peek());
      const publishedAt = meta?.publishedAt;
      return meta && publishedAt ? { version: meta.version, seconds: (Date.now() - publishedAt.getTime()) / 1000 } : null;
    },
  });
  // One counter for both lanes (Express's limiter and the front lane): see rate-limit-store.ts.
  const rateLimiting = rateLimiter(config.RATE_LIMIT_PER_MINUTE, (path) => PROBE_PATHS.has(path));
  const hot = createHotPath({
    tracker,
    metrics,
    logger,
    maxEntries: config.CACHE_MAX_ENTRIES,
    maxBytes: config.CACHE_MAX_BYTES,
    compressionThreshold: COMPRESSION_THRESHOLD,
    rateLimitHeaders: rateLimiting !== null,
  });
  // Every response the hot lanes may replay also goes to the front thread.
  const remember: HotPath['remember'] = front
    ? (...args) => {
        hot.remember(...args);
        front.remember(...args);
      }
    : hot.remember;
  const deps = { reader, tracker, cache, metrics, logger, hot: { ...hot, remember } };
  const dataPaths = new Set(dataEndpoints());
  // Responses that are never an HTML page (see securityHeaders); /docs is one.
  const apiPaths = new Set<string>([...catalogEndpoints(), ...OPERATIONAL_PATHS.filter((p) => p !== '/docs')]);

  const app = express();
  app.disable('x-powered-by');
  // We set our own version-based ETags; Express's body-hash ETags would cost a hash per response.
  app.set('etag', false);
  // node:querystring (Express's "simple" parser) yields only strings/arrays: `limit[$gt]=1` stays
  // a literal parameter name and is rejected as unknown, so no operator object can be built.
  // Every parameter is read (its default keeps the first 1,000 and drops the rest unseen): the
  // cache lanes key a response on its URL, which must mean what was validated and rendered. The
  // request line's size limit (node's max header size) bounds the count.
  app.set('query parser', (query: string) => parseQuery(query, '&', '=', { maxKeys: 0 }));
  // Exact paths only (see src/server/routing.ts); the sub-routers are built with the same options.
  app.set('case sensitive routing', ROUTING.caseSensitive);
  app.set('strict routing', ROUTING.strict);

  // Order matters: everything up to the API-key guard applies to every request, including the
  // hot-cache hits answered right after it; the rest is skipped by those hits.
  app.use(requestId);
  app.use(requestMetrics(metrics));
  app.use(securityHeaders((path) => apiPaths.has(path)));
  app.use(corsPolicy(config.CORS_ORIGINS));
  if (rateLimiting) app.use(rateLimiting.middleware);
  app.use(apiKeyGuard(config.API_KEYS, (path) => dataPaths.has(path)));
  app.use(hot.middleware);
  app.use(requestLogging(logger));
  app.use(compression({ threshold: COMPRESSION_THRESHOLD }));

  app.use(createHealthRouter(reader, lifecycle, logger));
  app.get('/metrics', async (_req, res) => {
    const report = await front?.report();
    if (report) {
      metrics.absorb(report.metrics);
      frontHotCache = report.hotCache;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(createDocsRouter(loadOpenApi()));
  app.use(createKpisRouter(deps));
  app.use(createListRouter(deps));

  // The dashboard page (src/dashboard, another component), LAST: API routes always win.
  app.use(createDashboardRouter({ logger }));

  app.use(notFound);
  app.use(errorHandler(logger));

  app.locals[FRONT_LISTENER] = frontLaneApplies(config) ? createFrontListener(app, { hot, logger, apiKeys: config.API_KEYS, rateLimiting }) : app;
  return app;
}

const FRONT_LISTENER = 'goldFrontListener';

/**
 * The listener to serve `app` with: the front cache lane when the configuration allows exact
 * replay (see src/api/http/hot-front.ts), else the app itself. main.ts listens with it.
 */
export function requestListenerOf(app: Express): RequestListener {
  return (app.locals[FRONT_LISTENER] as RequestListener | undefined) ?? app;
}
