import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import express from 'express';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { endpointFeatures } from '../../../src/api/endpoint-features.js';
import { listRouteSpec, parseListQuery } from '../../../src/api/query/parse-list-query.js';
import { encodeCursor } from '../../../src/api/query/cursor.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { ResponseCache } from '../../../src/api/cache/response-cache.js';
import type { GoldReader, PublishMeta } from '../../../src/api/data/gold-reader.js';
import { createApiMetrics } from '../../../src/api/metrics/api-metrics.js';
import { createListRouter } from '../../../src/api/routes/list-routes.js';

const scores = listRouteSpec(datasetByName('client_scores'), endpointFeatures('client_scores'));
const monthly = listRouteSpec(datasetByName('ca_monthly'), endpointFeatures('ca_monthly'));
const daily = listRouteSpec(datasetByName('daily'), endpointFeatures('daily'));

function rejection(run: () => unknown): { status: number; code: string; message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { status: error.status, code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseListQuery', () => {
  it('applies the catalog defaults and appends the unique key as tie-breaker', () => {
    const q = parseListQuery(scores, {});
    expect(q.limit).toBe(5000);
    expect(q.offset).toBe(0);
    expect(q.sort).toEqual([
      { field: 'expected_value_12m', dir: 'desc' },
      { field: 'id_client', dir: 'asc' },
    ]);
    expect(q.fields).toEqual(datasetByName('client_scores').columns.map((c) => c.name));
    expect(q.format).toBe('json');
    expect(q.keysetable).toBe(true);
  });

  it('accepts limits from 1 to the endpoint maximum and rejects the rest naming the parameter', () => {
    expect(parseListQuery(monthly, { limit: '1' }).limit).toBe(1);
    expect(parseListQuery(monthly, { limit: '10000' }).limit).toBe(10000);
    for (const bad of ['0', '10001', '-1', '1.5', 'abc', '', '1e3']) {
      const r = rejection(() => parseListQuery(monthly, { limit: bad }));
      expect(r.status).toBe(400);
      expect(r.details).toMatchObject({ parameter: 'limit' });
    }
  });

  it('rejects operator syntax as an unknown parameter, never passing it on', () => {
    for (const name of ['sort[$where]', 'limit[$gt]', '$where', 'foo']) {
      const r = rejection(() => parseListQuery(scores, { [name]: '1' }));
      expect(r).toMatchObject({ status: 400, code: 'UNKNOWN_PARAMETER', details: { parameter: name } });
    }
  });

  it('accepts and ignores the `_` cache-buster: same canonical query as without it', () => {
    const plain = parseListQuery(monthly, { limit: '5' });
    expect(parseListQuery(monthly, { limit: '5', _: '1700000000000' }).cacheKey).toBe(plain.cacheKey);
    expect(parseListQuery(monthly, { limit: '5', _: ['1', '2'] }).cacheKey).toBe(plain.cacheKey);
    expect(parseListQuery(scores, { _: '' }).cacheKey).toBe(parseListQuery(scores, {}).cacheKey);
  });

  it('rejects a parameter given twice and values that are not strings', () => {
    expect(rejection(() => parseListQuery(scores, { limit: ['1', '2'] })).details).toMatchObject({ parameter: 'limit' });
    expect(rejection(() => parseListQuery(scores, { limit: { $gt: '1' } })).details).toMatchObject({ parameter: 'limit' });
  });

  it('whitelists sort fields from the catalog and keeps the requested order', () => {
    const q = parseListQuery(scores, { sort: 'recency_days:asc,prob_reachat_12m:desc' });
    expect(q.sort.map((s) => `${s.field}:${s.dir}`)).toEqual(['recency_days:asc', 'prob_reachat_12m:desc', 'id_client:asc']);
    for (const bad of ['nope:asc', 'ca:up', '$where', 'id_client:asc:x']) {
      expect(rejection(() => parseListQuery(scores, { sort: bad })).details).toMatchObject({ parameter: 'sort' });
    }
  });

  it('rejects a sort field given twice, naming sort and the field, instead of dropping the repeat', () => {
    for (const [spec, sort, field] of [
      [daily, 'ca:desc,ca:asc', 'ca'],
      [daily, 'ca,ca', 'ca'],
      [daily, 'jour:asc,ca,jour:asc', 'jour'],
      [scores, 'id_client:desc,recency_days,id_client', 'id_client'],
    ] as const) {
      const error = rejection(() => parseListQuery(spec, { sort }));
      expect(error.code, sort).toBe('BAD_PARAMETER');
      expect(error.details, sort).toMatchObject({ parameter: 'sort' });
      expect(error.message, sort).toContain(`"${field}"`);
    }
    // The unique key is still appended as tie-breaker when the request does not name it.
    expect(parseListQuery(daily, { sort: 'ca:desc' }).sort).toEqual([
      { field: 'ca', dir: 'desc' },
      { field: 'jour', dir: 'asc' },
    ]);
    expect(parseListQuery(daily, { sort: 'jour:desc,ca' }).sort).toEqual([
      { field: 'jour', dir: 'desc' },
      { field: 'ca', dir: 'asc' },
    ]);
  });

  it('projects requested fields in catalog order and rejects unknown ones', () => {
    expect(parseListQuery(monthly, { fields: 'ca,mois' }).fields).toEqual(['mois', 'ca']);
    expect(rejection(() => parseListQuery(monthly, { fields: 'ca,_id' })).details).toMatchObject({ parameter: 'fields' });
  });

  it('parses the /scores filters and rejects out-of-range or unknown values', () => {
    const q = parseListQuery(scores, { segment: 'VIP,Dormants', min_prob: '0.2', max_prob: '0.9', min_expected: '10', pays: 'France' });
    expect(q.filters).toEqual([
      { kind: 'oneOf', column: 'segment_label', values: ['Dormants', 'VIP'] },
      { kind: 'lookup', dataset: 'dim_clients', column: 'pays', key: 'id_client', value: 'France' },
      { kind: 'range', param: 'min_prob', column: 'prob_reachat_12m', op: 'gte', value: 0.2 },
      { kind: 'range', param: 'max_prob', column: 'prob_reachat_12m', op: 'lte', value: 0.9 },
      { kind: 'range', param: 'min_expected', column: 'expected_value_12m', op: 'gte', value: 10 },
    ]);
    expect(rejection(() => parseListQuery(scores, { segment: 'Gold' })).details).toMatchObject({ parameter: 'segment' });
    expect(rejection(() => parseListQuery(scores, { min_prob: '1.5' })).details).toMatchObject({ parameter: 'min_prob' });
    expect(rejection(() => parseListQuery(scores, { min_prob: '0.8', max_prob: '0.2' })).details).toMatchObject({ parameter: 'min_prob' });
    expect(rejection(() => parseListQuery(monthly, { segment: 'VIP' })).code).toBe('UNKNOWN_PARAMETER');
  });

  it('chooses exports from format= or an explicit Accept, and exports have no default limit', () => {
    expect(parseListQuery(scores, { format: 'csv' })).toMatchObject({ format: 'csv', limit: null });
    expect(parseListQuery(scores, {}, 'text/csv')).toMatchObject({ format: 'csv' });
    expect(parseListQuery(scores, {}, 'application/x-ndjson')).toMatchObject({ format: 'ndjson' });
    expect(parseListQuery(scores, {}, '*/*')).toMatchObject({ format: 'json', limit: 5000 });
    expect(parseListQuery(monthly, {}, 'text/csv')).toMatchObject({ format: 'json' });
    expect(rejection(() => parseListQuery(monthly, { format: 'csv' })).code).toBe('UNKNOWN_PARAMETER');
    expect(rejection(() => parseListQuery(scores, { format: 'xml' })).details).toMatchObject({ parameter: 'format' });
  });

  it('accepts a cursor made for the same sort and rejects one made for another, or with offset', () => {
    const q = parseListQuery(daily, {});
    const after = encodeCursor(q.sort, { jour: '2025-03-01' });
    expect(parseListQuery(daily, { after }).after).toEqual(['2025-03-01']);
    expect(rejection(() => parseListQuery(daily, { after, sort: 'ca:desc' })).details).toMatchObject({ parameter: 'after' });
    expect(rejection(() => parseListQuery(daily, { after, offset: '5' })).details).toMatchObject({ parameter: 'offset' });
    expect(rejection(() => parseListQuery(monthly, { after })).code).toBe('UNKNOWN_PARAMETER');
  });

  it('refuses keyset pagination over an optional column, which is null throughout when the file lacks it', () => {
    for (const field of ['tenure_days', 'total_orders_all', 'reference_date', 'monetary_avg_12m']) {
      const q = parseListQuery(scores, { sort: `${field}:asc` });
      expect(q.keysetable, field).toBe(false);
      const after = encodeCursor(q.sort, { [field]: null, id_client: 5 });
      expect(rejection(() => parseListQuery(scores, { sort: `${field}:asc`, after })).details).toMatchObject({ parameter: 'after' });
    }
    expect(parseListQuery(scores, { sort: 'recency_days:asc' }).keysetable).toBe(true);
  });

  it('refuses keyset pagination over a nullable sort field', () => {
    const q = parseListQuery(scores, { sort: 'last_purchase:desc' });
    expect(q.keysetable).toBe(false);
    const after = encodeCursor(q.sort, { last_purchase: new Date(0), id_client: 1 });
    expect(rejection(() => parseListQuery(scores, { sort: 'last_purchase:desc', after })).details).toMatchObject({ parameter: 'after' });
  });

  it('negotiates the format from the q-values of Accept; only explicit export types select an export', () => {
    const cases: Array<[string, string]> = [
      ['application/json, text/csv;q=0.1', 'json'],
      ['text/csv;q=0', 'json'],
      ['text/csv;q=0.0, */*', 'json'],
      ['application/x-ndjson;q=0', 'json'],
      ['application/ndjson;q=0, application/x-ndjson;q=0', 'json'],
      ['application/json;q=0.9, application/x-ndjson;q=0.5, text/csv;q=0.2', 'json'],
      ['application/*;q=0.5, text/csv;q=0.2', 'json'],
      ['*/*;q=0.5, application/json;q=0.1', 'json'],
      ['text/*', 'json'],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json'],
      ['text/csv;q=abc', 'json'],
      ['text/csv;q=1.5', 'json'],
      ['application/json, text/csv', 'json'],
      ['text/csv', 'csv'],
      ['TEXT/CSV; charset=utf-8', 'csv'],
      ['text/csv, */*', 'csv'],
      ['text/csv, application/json', 'csv'],
      ['text/csv;q=0.9, */*;q=0.1', 'csv'],
      ['application/json;q=0.5, text/csv', 'csv'],
      ['application/json;q=0, text/csv;q=0.1', 'csv'],
      ['text/html, text/csv;q=0.1', 'csv'],
      ['text/csv;q=0.1, application/x-ndjson;q=0', 'csv'],
      ['application/x-ndjson', 'ndjson'],
      ['application/ndjson', 'ndjson'],
      ['application/json;q=0.5, application/x-ndjson', 'ndjson'],
      ['text/csv;q=0.4, application/x-ndjson;q=0.6', 'ndjson'],
    ];
    for (const [accept, format] of cases) expect(parseListQuery(scores, {}, accept).format, accept).toBe(format);
    // The format parameter still wins over the header.
    expect(parseListQuery(scores, { format: 'json' }, 'text/csv').format).toBe('json');
    expect(parseListQuery(scores, { format: 'csv' }, 'application/json, text/csv;q=0').format).toBe('csv');
  });

  it('gives equal cache keys to equivalent query strings and different ones otherwise', () => {
    const a = parseListQuery(scores, { limit: '010', sort: 'expected_value_12m:desc', segment: 'VIP,Actifs' });
    const b = parseListQuery(scores, { segment: 'Actifs,VIP', limit: '10' });
    expect(a.cacheKey).toBe(b.cacheKey);
    expect(parseListQuery(scores, { limit: '11' }).cacheKey).not.toBe(b.cacheKey);
  });

  it('answers any generated query object with a result or a 4xx AppError, never anything else', () => {
    const names = fc.constantFrom('limit', 'offset', 'sort', 'fields', 'after', 'format', 'segment', 'pays', 'min_prob', 'max_prob', 'min_expected', 'limit[$gt]', '$where', 'x');
    const values = fc.oneof(fc.string(), fc.constantFrom('1', '0', '-1', 'VIP', 'ca:desc', 'id_client:asc', '1e309', 'NaN'), fc.array(fc.string(), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.dictionary(names, values), fc.option(fc.string()), (query, accept) => {
        for (const spec of [scores, monthly, daily]) {
          try {
            const q = parseListQuery(spec, query, accept ?? undefined);
            expect(q.limit === null || (q.limit >= 1 && q.limit <= spec.endpoint.maxLimit)).toBe(true);
          } catch (error) {
            expect(isAppError(error) && error.status >= 400 && error.status < 500).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

// The list router in memory (no socket, no database): /scores answers JSON or an export for the
// same URL depending on Accept, so every such response must say it varies by Accept.
describe('list routes and Accept', () => {
  const meta = { version: 'v1', publishedAt: new Date(0) } as PublishMeta;
  const rows = [{ id_client: 1, expected_value_12m: 10 }];
  const reader = {
    findRows: async () => rows,
    isEmpty: async () => false,
    lookup: async () => [],
    openCursor: () => {
      let next = 0;
      return { next: async () => rows[next++] ?? null, close: async () => undefined };
    },
  } as unknown as GoldReader;
  const metrics = createApiMetrics({ collectDefaults: false, cacheStats: () => ({ entries: 0, bytes: 0 }), versionAge: async () => null, hotCacheStats: () => ({ entries: 0, bytes: 0 }) });
  const app = express();
  // Stands for an earlier middleware that varies (CORS with a list of origins): kept, not replaced.
  app.use((req, res, next) => {
    if (req.headers.origin) res.vary('Origin');
    next();
  });
  app.use(
    createListRouter({
      reader,
      logger: pino({ level: 'silent' }),
      tracker: { current: async () => meta, peek: () => meta, fresh: () => meta },
      cache: new ResponseCache(100, 1_000_000),
      metrics,
    }),
  );

  /** Runs one GET through the app; resolves with the status and headers once the response ends. */
  function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = url;
    req.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    req.push(null);
    const res = new ServerResponse(req);
    return new Promise((resolve, reject) => {
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        resolve({ status: res.statusCode, headers: res.getHeaders() });
        return end(...args);
      }) as typeof res.end;
      app(req as express.Request, res as express.Response, (error?: unknown) => reject(error ?? new Error(`no route for ${url}`)));
    });
  }

  it('sends Vary: Accept on /scores JSON (miss, hit, 304) and exports, merged with an existing Vary', async () => {
    const miss = await get('/scores?limit=1');
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers.vary).toBe('Accept');
    const hit = await get('/scores?limit=1');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers.vary).toBe('Accept');
    const notModified = await get('/scores?limit=1', { 'If-None-Match': String(hit.headers.etag) });
    expect(notModified.status).toBe(304);
    // A 304 repeats the 200's Vary, whose Accept-Encoding the compression middleware adds in the app.
    expect(notModified.headers.vary).toBe('Accept, Accept-Encoding');
    for (const accept of ['text/csv', 'application/x-ndjson']) {
      const exported = await get('/scores', { Accept: accept });
      expect(String(exported.headers['content-type']), accept).toMatch(/^(text\/csv|application\/x-ndjson)/);
      expect(exported.headers.vary, accept).toBe('Accept');
    }
    expect((await get('/scores?limit=1', { Origin: 'https://a.example' })).headers.vary).toBe('Origin, Accept');
    expect((await get('/scores?format=csv', { Origin: 'https://a.example' })).headers.vary).toBe('Origin, Accept');
  });

  it('sends no Vary: Accept where Accept does not matter (no exports)', async () => {
    const res = await get('/monthly?limit=1', { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.vary).toBeUndefined();
  });
});
