// Building blocks of the front/hot cache lanes: cache-buster normalisation, request ids, the
// per-entry raw header blocks, the pre-resolved metric series and the front lane's rate counting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createFrontListener } from '../../../src/api/http/hot-front.js';
import { createHotPath, replayHeaders, hotCacheKey } from '../../../src/api/http/hot-path.js';
import { createApiMetrics } from '../../../src/api/metrics/api-metrics.js';
import { newRequestId, SANE_REQUEST_ID } from '../../../src/api/middleware/observability.js';
import { clientKey } from '../../../src/api/middleware/rate-limit-store.js';
import { rateLimiter } from '../../../src/api/middleware/security.js';
import type { PublishMeta } from '../../../src/api/data/gold-reader.js';

describe('hotCacheKey', () => {
  it('drops every `_` parameter and keeps the others in their order', () => {
    expect(hotCacheKey('/kpis?_=1700000000000')).toBe('/kpis');
    expect(hotCacheKey('/kpis?_')).toBe('/kpis');
    expect(hotCacheKey('/monthly?limit=5&_=1&sort=ca:desc&_=2')).toBe('/monthly?limit=5&sort=ca:desc');
    expect(hotCacheKey('/monthly?_=1&limit=5')).toBe('/monthly?limit=5');
  });

  it('leaves URLs without a `_` parameter unchanged, including names that merely contain `_`', () => {
    for (const url of ['/kpis', '/scores?min_expected=3', '/monthly?__=1', '/monthly?_x=1', '/monthly?x_=1', '/a_b']) {
      expect(hotCacheKey(url)).toBe(url);
    }
  });

  it('keys no URL with a fragment, which Express would parse differently', () => {
    for (const url of ['/scores?_=1#&segment=VIP', '/kpis#', '/monthly?limit=4#x']) expect(hotCacheKey(url)).toBeUndefined();
  });
});

describe('newRequestId', () => {
  it('gives distinct ids that pass the sanity check applied to incoming ones', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(SANE_REQUEST_ID);
    expect(new Set(ids.map((id) => id.split('-')[0])).size).toBe(1);
  });
});

describe('hot path entries', () => {
  const meta: PublishMeta = { version: 'v1', publishedAt: new Date(0) } as PublishMeta;
  const setup = (rateLimitHeaders = false) => {
    const metrics = createApiMetrics({ collectDefaults: false, cacheStats: () => ({ entries: 0, bytes: 0 }), versionAge: async () => null, hotCacheStats: () => ({ entries: 0, bytes: 0 }) });
    const hot = createHotPath({
      tracker: { current: () => Promise.resolve(meta), fresh: () => meta },
      metrics,
      logger: pino({ level: 'silent' }),
      maxEntries: 10,
      maxBytes: 1_000_000,
      compressionThreshold: 1024,
      rateLimitHeaders,
    });
    const body = Buffer.from('{"a":1}');
    hot.remember('/kpis?_=5', '/kpis', { body, etag: '"t"', contentType: 'application/json', version: 'v1' }, {
      'x-request-id': 'old',
      'x-cache': 'MISS',
      'content-length': 99,
      etag: '"t"',
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json',
    });
    const lookup = (url: string) => hot.lookup({ method: 'GET', url, headers: {} } as never);
    return { metrics, hot, lookup };
  };

  it('are found under the URL without the cache-buster, whatever its value', () => {
    const { lookup } = setup();
    expect(lookup('/kpis')?.route).toBe('/kpis');
    expect(lookup('/kpis?_=6')?.route).toBe('/kpis');
    expect(lookup('/kpis?x=1')).toBeUndefined();
  });

  it('carry raw header blocks without per-request headers, ending with the request id slot', () => {
    const entry = setup().lookup('/kpis')!;
    const headers = replayHeaders(entry.raw200, 'id-1');
    const pairs = new Map<string, unknown>();
    for (let i = 0; i < headers.length; i += 2) pairs.set(String(headers[i]), headers[i + 1]);
    expect(pairs.size * 2).toBe(headers.length);
    expect(pairs.get('x-request-id')).toBe('id-1');
    expect(pairs.get('x-cache')).toBe('HIT');
    expect(pairs.get('content-length')).toBe(7);
    expect(pairs.get('etag')).toBe('"t"');
    expect(pairs.get('x-content-type-options')).toBe('nosniff');
    expect(pairs.get('cache-control')).toMatch(/must-revalidate/);
    // A 304 keeps the validators and caching headers, without representation metadata.
    const notModified = new Map(pairsOf(replayHeaders(entry.raw304, 'id-2')));
    expect([notModified.has('content-length'), notModified.has('content-type')]).toEqual([false, false]);
    expect([notModified.get('etag'), notModified.get('x-request-id')]).toEqual(['"t"', 'id-2']);
    // The template itself is never modified.
    expect(entry.raw200.at(-1)).toBe('');
  });

  it('count into the same series as the labelled metrics', async () => {
    const { metrics, lookup } = setup();
    const entry = lookup('/kpis')!;
    entry.series.hit.inc();
    metrics.cache('/kpis', 'hit');
    entry.series.duration304.observe(0.001);
    metrics.observeRequest('GET', '/kpis', 304, 0.002);
    const text = await metrics.registry.metrics();
    expect(text).toContain('api_cache_requests_total{route="/kpis",result="hit"} 2');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/kpis",status_code="304"} 2');
  });
  it('with rate limiting, carry RateLimit and RateLimit-Policy slots filled per request', () => {
    const entry = setup(true).lookup('/kpis')!;
    const headers = new Map(pairsOf(replayHeaders(entry.raw200, 'id-1', 'r-value', 'p-value')));
    expect(headers.get('ratelimit')).toBe('r-value');
    expect(headers.get('ratelimit-policy')).toBe('p-value');
    expect(headers.get('x-request-id')).toBe('id-1');
    expect(headers.get('content-length')).toBe(7);
  });

  it('let the front lane count a request it serves once and hand one past the limit to Express uncounted', () => {
    const { hot } = setup(true);
    const rateLimiting = rateLimiter(3, (path) => path === '/livez')!;
    const handed: string[] = [];
    // Stands in for the Express app, whose limiter counts every request it sees.
    const express = (req: IncomingMessage) => {
      handed.push(String(req.url));
      rateLimiting.counter.hit(clientKey(req));
    };
    const front = createFrontListener(express as never, { hot, logger: pino({ level: 'silent' }), apiKeys: [], rateLimiting });
    const socket = { remoteAddress: '192.0.2.1' };
    const written: Array<Map<unknown, unknown>> = [];
    for (let i = 0; i < 5; i++) {
      const req = { method: 'GET', url: '/kpis', headers: {}, socket } as unknown as IncomingMessage;
      const res = {
        statusCode: 200,
        writeHead(status: number, headers: unknown[]) {
          res.statusCode = status;
          written.push(new Map(pairsOf(headers)));
        },
        end() {},
      };
      front(req, res as unknown as ServerResponse);
    }
    expect(written.map((h) => String(h.get('ratelimit')).replace(/t=\d+$/, 't=…'))).toEqual(['"3-in-1min"; r=2; t=…', '"3-in-1min"; r=1; t=…', '"3-in-1min"; r=0; t=…']);
    expect(handed).toEqual(['/kpis', '/kpis']);
    expect(rateLimiting.counter.get('192.0.2.1')?.totalHits).toBe(5);
  });
});

function pairsOf(headers: readonly unknown[]): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = [];
  for (let i = 0; i < headers.length; i += 2) out.push([headers[i], headers[i + 1]]);
  return out;
}
