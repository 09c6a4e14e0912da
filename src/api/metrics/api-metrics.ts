// Prometheus metrics of one app instance, on its own registry (tests create many apps).
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelledCounter, LabelledHistogram, type CounterSeries, type HistogramSeries, type SeriesSnapshot } from './labelled-series.js';

export type CacheResult = 'hit' | 'miss' | 'not_modified' | 'bypass';

/** The request path's series of one thread, for another to add to its own (the front thread's, see src/server/front-thread). */
export interface RequestPathSnapshot {
  readonly durations: readonly SeriesSnapshot[];
  readonly cacheRequests: readonly SeriesSnapshot[];
}

/** The metrics the request path writes: request durations and cache outcomes. */
export interface RequestPathMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  cache(route: string, result: CacheResult): void;
  /**
   * The duration series of one (method, route, status), resolved once: callers on the hottest
   * path (the front cache lane) keep it per cache entry instead of looking labels up per request.
   */
  requestSeries(method: string, route: string, status: number): HistogramSeries;
  /** The cache counter of one (route, result), resolved once (see requestSeries). */
  cacheSeries(route: string, result: CacheResult): CounterSeries;
  /** This thread's series (see RequestPathSnapshot). */
  snapshot(): RequestPathSnapshot;
  /** Another thread's series, added to this one's from now on (each report replaces the last). */
  absorb(other: RequestPathSnapshot): void;
}

export interface ApiMetrics extends RequestPathMetrics {
  readonly registry: Registry;
}

export interface ApiMetricsSources {
  /** The served version and seconds since its publish, or null when none (read on each scrape). */
  versionAge(): Promise<{ version: string; seconds: number } | null>;
  cacheStats(): { entries: number; bytes: number };
  /** The hot lanes' own cache (src/api/http/hot-path.ts): bounded separately, holds the compressed copies. */
  hotCacheStats(): { entries: number; bytes: number };
  collectDefaults: boolean;
}

export function createApiMetrics(sources: ApiMetricsSources): ApiMetrics {
  const registry = new Registry();
  if (sources.collectDefaults) collectDefaultMetrics({ register: registry });
  const paths = requestPathMetrics(registry);
  // Labelled with the version so that it can be absent: prom-client prints 0 for a label-less
  // gauge after reset(), which a staleness alert would read as "just published".
  new Gauge({
    name: 'gold_data_version_age_seconds',
    help: 'Seconds since the served gold version was published, by version (absent before the first publish)',
    labelNames: ['version'],
    registers: [registry],
    async collect() {
      const age = await sources.versionAge();
      this.reset();
      if (age !== null) this.set({ version: age.version }, age.seconds);
    },
  });
  cacheGauges(registry, 'api_cache', ['Rendered responses held in the cache', 'Bytes of rendered responses held in the cache'], sources.cacheStats);
  cacheGauges(
    registry,
    'api_hot_cache',
    [
      'Replayable responses held by the hot cache lanes (bodies shared with the response cache)',
      'Bytes held by the hot cache lanes, compressed copies included (bounded by CACHE_MAX_BYTES on their own)',
    ],
    sources.hotCacheStats,
  );
  return { registry, ...paths };
}

/**
 * The request-path metrics, registered in `registry` when given (the front thread keeps them
 * unregistered: the app's /metrics exposes them, see `absorb`).
 */
export function requestPathMetrics(registry?: Registry): RequestPathMetrics {
  // Our own labelled series (labelled-series.ts): same exposition as prom-client's
  // Histogram/Counter, without label work per observation.
  const duration = new LabelledHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by method, route and status code',
    ['method', 'route', 'status_code'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registry,
  );
  const cacheRequests = new LabelledCounter('api_cache_requests_total', 'Cacheable requests by route and outcome (hit, miss, not_modified, bypass)', ['route', 'result'], registry);
  const requestSeries = (method: string, route: string, status: number) => duration.series(method, route, String(status));
  const cacheSeries = (route: string, result: CacheResult) => cacheRequests.series(route, result);
  return {
    observeRequest: (method, route, status, seconds) => requestSeries(method, route, status).observe(seconds),
    cache: (route, result) => cacheSeries(route, result).inc(),
    requestSeries,
    cacheSeries,
    snapshot: () => ({ durations: duration.snapshot(), cacheRequests: cacheRequests.snapshot() }),
    absorb: (other) => {
      duration.absorb(other.durations);
      cacheRequests.absorb(other.cacheRequests);
    },
  };
}

/** `<prefix>_entries` and `<prefix>_bytes`: what `read` reports of one cache, at each scrape. */
function cacheGauges(registry: Registry, prefix: string, [entriesHelp, bytesHelp]: readonly [string, string], read: () => { entries: number; bytes: number }): void {
  new Gauge({
    name: `${prefix}_entries`,
    help: entriesHelp,
    registers: [registry],
    collect() {
      this.set(read().entries);
    },
  });
  new Gauge({
    name: `${prefix}_bytes`,
    help: bytesHelp,
    registers: [registry],
    collect() {
      this.set(read().bytes);
    },
  });
}
