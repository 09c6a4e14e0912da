// Hostile and odd input never yields a 5xx; security, probes, metrics, docs, API keys and rate
// limiting behave as documented.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, dataEndpoints } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { CURSOR_SOURCES, mixedQuery, queryString, type RealCursor } from '../../support/list-query-arbitraries.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp } from './support/api-harness.js';

let t: TestDb;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  t = await connectTestDb('api_robustness');
  await publishFixtures(t.db);
  app = buildApp(t.db);
});
afterAll(async () => {
  await t?.cleanup();
});

const dataPaths = dataEndpoints();

describe('bad input', () => {
  it('rejects operator injection with a 400 naming the parameter on every data endpoint', async () => {
    for (const path of dataPaths) {
      for (const query of ['sort[$where]=1', 'limit[$gt]=1', 'fields[$ne]=x', '$where=sleep(1000)']) {
        const res = await request(app).get(`${path}?${query}`).expect(400);
        expect(res.body).toMatchObject({ code: 'UNKNOWN_PARAMETER', details: { parameter: query.split('=')[0] } });
        expect(res.body.error).toContain(query.split('=')[0]);
      }
    }
  });

  it('names the parameter and expected values for out-of-range values', async () => {
    const res = await request(app).get('/scores?limit=50001').expect(400);
    expect(res.body).toEqual({ error: expect.stringContaining('limit'), code: 'BAD_PARAMETER', details: { parameter: 'limit', expected: 'an integer between 1 and 50000' } });
    expect((await request(app).get('/monthly?sort=ca:sideways').expect(400)).body.details.parameter).toBe('sort');
  });

  it('never answers generated query strings with a 5xx, and 200 to every valid one', async () => {
    const cursors: RealCursor[] = [];
    for (const { path, sort } of CURSOR_SOURCES) {
      const first = await request(app).get(`${path}?limit=3${sort === null ? '' : `&sort=${sort}`}`).expect(200);
      cursors.push({ path, sort, after: (first.body as { meta: { next_after: string } }).meta.next_after });
    }
    await fc.assert(
      fc.asyncProperty(mixedQuery(cursors), async (q) => {
        const url = `${q.path}?${queryString(q.pairs)}`;
        const res = await request(app).get(url);
        expect(res.status, url).toBeLessThan(500);
        if (q.expect === 'ok') expect(res.status, url).toBe(200);
        if (q.expect === 'refused') expect({ url, status: res.status, parameter: typeof res.body?.details?.parameter }).toEqual({ url, status: 400, parameter: 'string' });
        if (res.status >= 400) expect(res.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });
      }),
      { numRuns: 400 },
    );
  });

  it('answers unknown paths with a JSON 404 and never a stack trace', async () => {
    const res = await request(app).get('/nope/../../etc/passwd').expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    const bad = await request(app).get('/%E0%A4%A');
    expect(bad.status).toBeLessThan(500);
  });
});

describe('security and operations', () => {
  it('sets helmet headers, CORS * for GET and echoes a sane request id', async () => {
    const res = await request(app).get('/monthly').set('Origin', 'https://dash.example').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // An API response: OWASP's REST set, not helmet's HTML-document headers (the /docs page has those).
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBeUndefined();
    const page = await request(app).get('/docs').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await request(app).get('/livez').set('X-Request-Id', 'bad id with spaces');
    // Generated: a per-process random prefix and a counter, unique per request.
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    const next = await request(app).get('/livez');
    expect(next.headers['x-request-id']).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
    expect(next.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);
  });

  it('compresses large bodies for clients that accept gzip', async () => {
    const res = await request(app).get('/scores').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('requires a matching X-API-Key on data endpoints when keys are configured, not on probes', async () => {
    const keyed = buildApp(t.db, { API_KEYS: 'k1,k2' });
    expect((await request(keyed).get('/kpis').expect(401)).body.code).toBe('UNAUTHORIZED');
    await request(keyed).get('/kpis').set('X-API-Key', 'k3').expect(401);
    await request(keyed).get('/kpis').set('X-API-Key', 'k2').expect(200);
    await request(keyed).get('/scores?limit=1').set('X-API-Key', 'k1').expect(200);
    await request(keyed).get('/health').expect(200);
    await request(keyed).get('/readyz').expect(200);
  });

  it('serves a data endpoint at its exact path only, so no spelling of it gets past the API key', async () => {
    const keyed = buildApp(t.db, { API_KEYS: 'k1' });
    for (const endpoint of dataEndpoints()) {
      const variants = [endpoint.toUpperCase(), `${endpoint}/`, `${endpoint[0]}${endpoint[1]!.toUpperCase()}${endpoint.slice(2)}`, `/${endpoint}`, `${endpoint}/?limit=1`];
      for (const url of variants) {
        const res = await request(keyed).get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 404 });
        // Twice: the second would be a cache hit, had the first rendered.
        expect((await request(keyed).get(url)).status).toBe(404);
      }
      expect((await request(keyed).get(endpoint)).status).toBe(401);
    }
  });

  it('rate-limits data requests beyond the configured budget with a JSON 429', async () => {
    const limited = buildApp(t.db, { RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) await request(limited).get('/monthly').expect(200);
    const res = await request(limited).get('/monthly').expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    await request(limited).get('/livez').expect(200);
  });

  it('reports probes and Prometheus metrics with route labels, cache hits and the version age', async () => {
    await request(app).get('/livez').expect(200, { status: 'ok' });
    await request(app).get('/health').expect(200, { status: 'ok' });
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', version: expect.any(String) });
    await request(app).get('/segments');
    await request(app).get('/segments');
    const metrics = (await request(app).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/segments",status_code="200"\} \d+/);
    expect(metrics).toMatch(/api_cache_requests_total\{route="\/segments",result="hit"\} [1-9]/);
    expect(metrics).toMatch(/gold_data_version_age_seconds\{version="[^"]+"\} \d/);
  });

  it('serves the OpenAPI document and a docs page with local assets', async () => {
    const spec = await request(app).get('/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\.1/);
    const page = await request(app).get('/docs').expect(200);
    expect(page.text).toContain('/docs/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(app).get('/docs/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
    await request(app).get('/docs/swagger-ui.css').expect(200);
    await request(app).get('/docs/init.js').expect(200);
  });

  it('mounts the dashboard page after the API routes', async () => {
    await request(app).get('/').expect(200).expect('Content-Type', /html/);
    await request(app).get('/kpis').expect(200).expect('Content-Type', /json/);
  });

  it('generates one route per catalog dataset endpoint', async () => {
    for (const d of DATASETS) if (d.endpoint) await request(app).get(`${d.endpoint.path}?limit=1`).expect(200);
  });
});
