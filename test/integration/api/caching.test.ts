// Version-keyed caching: ETag/304, hits, invalidation when a publish lands, 503 when empty.
import type { Db } from 'mongodb';
import request from 'supertest';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp, requestListenerOf } from '../../../src/app.js';
import { dataEndpoints, DATASETS, KPI_DOCUMENT, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { loadConfig } from '../../../src/config/config.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, bumpVersion, loadExpectedTables, testDatabases } from './support/api-harness.js';
import { expectedKpis } from './support/expected-endpoints.js';

const testDb = testDatabases();

/** The collection the API reads for `collection` in the current publish (its served copy). */
async function servedCollection(db: Db, collection: string): Promise<string> {
  const meta = await db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
  const served = (meta?.served ?? {}) as Record<string, string>;
  return served[collection] ?? collection;
}

describe('response caching', () => {
  it('answers a repeated request from the cache and a matching If-None-Match with 304', async () => {
    const { db } = await testDb('api_cache_304');
    await publishFixtures(db);
    const app = buildApp(db);
    const first = await request(app).get('/monthly?limit=5').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['cache-control']).toMatch(/must-revalidate/);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"/);
    const second = await request(app).get('/monthly?limit=5').expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.text).toBe(first.text);
    const notModified = await request(app).get('/monthly?limit=5').set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');
    // Another query has another tag.
    const other = await request(app).get('/monthly?limit=6').set('If-None-Match', etag).expect(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('keeps serving the cached bytes until the version changes, then re-reads', async () => {
    const { db } = await testDb('api_cache_invalidation');
    await publishFixtures(db);
    const app = buildApp(db);
    const before = await request(app).get(KPI_DOCUMENT.endpoint).expect(200);
    const oldEtag = before.headers.etag as string;

    // Change the data behind the API's back: same version, so the cache still answers.
    await db.collection(await servedCollection(db, KPI_DOCUMENT.collection)).updateOne({ _id: 'kpis' as never }, { $set: { total_ca: 1 } });
    expect((await request(app).get(KPI_DOCUMENT.endpoint).expect(200)).body.total_ca).toBe(before.body.total_ca);
    // A new version makes the API read again, and see the change.
    await bumpVersion(db, 'tampered');
    expect((await request(app).get(KPI_DOCUMENT.endpoint).expect(200)).body.total_ca).toBe(1);

    // A real republish writes a new version: the next request misses and reads the new data.
    await publishFixtures(db);
    const after = await request(app).get(KPI_DOCUMENT.endpoint).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.meta.version).not.toBe(before.body.meta.version);
    expect(after.body.total_ca).toBeCloseTo(expectedKpis(loadExpectedTables()).total_ca as number, 6);
    await request(app).get(KPI_DOCUMENT.endpoint).set('If-None-Match', oldEtag).expect(200);
  });

  it('follows the version at most once per interval when configured so', async () => {
    const { db } = await testDb('api_cache_interval');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    const before = await request(app).get('/by_country').expect(200);
    await bumpVersion(db, 'manual-bump');
    const soon = await request(app).get('/by_country').expect(200);
    expect(soon.headers['x-cache']).toBe('HIT');
    expect(soon.body.meta.version).toBe(before.body.meta.version);
  });
});

describe('the `_` cache-buster', () => {
  it('is accepted and ignored on every data endpoint, with the same cache entry and ETag as without it', async () => {
    const { db } = await testDb('api_cache_buster');
    await publishFixtures(db);
    const app = buildApp(db);
    for (const path of dataEndpoints()) {
      const plain = await request(app).get(path).expect(200);
      expect(plain.headers['x-cache'], path).toBe('MISS');
      const busted = await request(app).get(`${path}?_=1700000000000`).expect(200);
      expect(busted.headers['x-cache'], path).toBe('HIT');
      expect(busted.headers.etag, path).toBe(plain.headers.etag);
      expect(busted.text, path).toBe(plain.text);
      await request(app).get(`${path}?_=1700000000001`).set('If-None-Match', plain.headers.etag as string).expect(304);
    }
    const page = await request(app).get('/monthly?limit=5').expect(200);
    const bustedPage = await request(app).get('/monthly?_=42&limit=5&_=43').expect(200);
    expect(bustedPage.headers['x-cache']).toBe('HIT');
    expect(bustedPage.headers.etag).toBe(page.headers.etag);
  });

  it('does not open the door to other unknown parameters', async () => {
    const { db } = await testDb('api_cache_buster_only');
    await publishFixtures(db);
    const app = buildApp(db);
    const kpis = await request(app).get('/kpis?_=1&x=1').expect(400);
    expect(kpis.body).toMatchObject({ code: 'UNKNOWN_PARAMETER', details: { parameter: 'x', allowed: ['_'] } });
    expect((await request(app).get('/monthly?__=1').expect(400)).body.details.parameter).toBe('__');
    expect((await request(app).get('/monthly?_x=1').expect(400)).body.details.parameter).toBe('_x');
  });

  it('is answered by the front lane from the entry of the URL without it', async () => {
    const { db } = await testDb('api_cache_buster_front');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    const front = requestListenerOf(app);
    const plain = await request(front).get('/by_country?limit=3').expect(200);
    expect(plain.headers['x-cache']).toBe('MISS');
    for (const url of ['/by_country?limit=3&_=1', '/by_country?_=2&limit=3', '/by_country?limit=3&_']) {
      const hit = await request(front).get(url).expect(200);
      expect(hit.headers['x-cache'], url).toBe('HIT');
      expect(hit.headers.etag, url).toBe(plain.headers.etag);
      expect(hit.text, url).toBe(plain.text);
    }
    const metrics = (await request(front).get('/metrics').expect(200)).text;
    // One miss rendered the entry; the three busted URLs were hits of that same entry.
    expect(metrics).toContain('api_cache_requests_total{route="/by_country",result="miss"} 1');
    expect(metrics).toContain('api_cache_requests_total{route="/by_country",result="hit"} 3');
  });
});

describe('empty or missing data', () => {
  it('answers every data endpoint with 503 "<collection> vide" and Retry-After before any publish', async () => {
    const { db } = await testDb('api_empty');
    const app = buildApp(db);
    const targets = [
      [KPI_DOCUMENT.endpoint, KPI_DOCUMENT.collection],
      ...DATASETS.flatMap((d) => (d.endpoint ? [[d.endpoint.path, d.collection]] : [])),
    ] as const;
    for (const [path, collection] of targets) {
      const res = await request(app).get(path).expect(503);
      expect(res.body).toEqual({ error: `${collection} vide`, code: 'DATA_EMPTY', details: expect.objectContaining({ collection }) });
      expect(res.headers['retry-after']).toBeDefined();
    }
    await request(app).get('/scores?format=csv').expect(503);
    await request(app).get('/readyz').expect(503);
    await request(app).get('/health').expect(200);
    // `*` matches only a representation that exists (RFC 9110): still the 503.
    for (const [path] of targets) await request(app).get(path).set('If-None-Match', '*').expect(503);
    // No publish, no age: absent rather than a 0 that would read as "just published".
    expect((await request(app).get('/metrics').expect(200)).text).not.toMatch(/^gold_data_version_age_seconds/m);
  });

  it('answers 503 for a collection emptied after a publish and 200 with no rows for an empty filter result', async () => {
    const { db } = await testDb('api_emptied');
    await publishFixtures(db);
    const app = buildApp(db);
    const empty = await request(app).get('/scores?min_expected=1e12').expect(200);
    expect(empty.body.data).toEqual([]);
    const weekly = DATASETS.find((d) => d.endpoint?.path === '/weekly')!;
    await db.collection(await servedCollection(db, weekly.collection)).deleteMany({});
    await bumpVersion(db, 'emptied');
    const res = await request(app).get('/weekly').expect(503);
    expect(res.body.error).toBe(`${weekly.collection} vide`);
    await request(app).get('/weekly').set('If-None-Match', '*').expect(503);
    // The version headers were set before rendering failed; an error does not carry them.
    expect([res.headers['x-data-version'], res.headers.etag]).toEqual([undefined, undefined]);
  });
});

describe('hot cache lane (active when the version was checked within the interval)', () => {
  it('replays the same bytes with security headers, request ids, API keys and rate limits intact', async () => {
    const { db } = await testDb('api_hot_lane');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000', API_KEYS: 'k', RATE_LIMIT_PER_MINUTE: '6' });
    const first = await request(app).get('/scores?limit=3').set('X-API-Key', 'k').expect(200);
    const again = await request(app).get('/scores?limit=3').set('X-API-Key', 'k').set('X-Request-Id', 'hot-1').expect(200);
    expect(again.text).toBe(first.text);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.headers['x-request-id']).toBe('hot-1');
    expect(again.headers['x-content-type-options']).toBe('nosniff');
    expect(again.headers['access-control-allow-origin']).toBe('*');
    expect(again.headers.etag).toBe(first.headers.etag);
    await request(app).get('/scores?limit=3').set('X-API-Key', 'k').set('If-None-Match', first.headers.etag as string).expect(304);
    await request(app).get('/scores?limit=3').set('X-API-Key', 'nope').expect(401);
    const csv = await request(app).get('/scores?limit=3').set('X-API-Key', 'k').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    // Five counted requests so far (the 401 included); the sixth is the last one allowed.
    await request(app).get('/scores?limit=3').set('X-API-Key', 'k').expect(200);
    expect((await request(app).get('/scores?limit=3').set('X-API-Key', 'k').expect(429)).body.code).toBe('RATE_LIMITED');
  });

  it('front lane (before Express) replays the full pipeline headers with a fresh request id', async () => {
    const { db } = await testDb('api_front_lane');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000', API_KEYS: 'k' });
    const front = requestListenerOf(app);
    expect(front).not.toBe(app);
    const viaApp = await request(app).get('/segments?limit=2').set('X-API-Key', 'k').expect(200);
    const hit = await request(front).get('/segments?limit=2').set('X-API-Key', 'k').set('X-Request-Id', 'front-1').expect(200);
    expect(hit.text).toBe(viaApp.text);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['x-request-id']).toBe('front-1');
    for (const name of ['content-type', 'etag', 'cache-control', 'x-data-version', 'x-content-type-options', 'content-security-policy', 'access-control-allow-origin']) {
      expect(hit.headers[name], name).toBe(viaApp.headers[name]);
    }
    await request(front).get('/segments?limit=2').set('X-API-Key', 'k').set('If-None-Match', viaApp.headers.etag as string).expect(304);
    expect((await request(front).get('/segments?limit=2').set('X-API-Key', 'bad').expect(401)).body.code).toBe('UNAUTHORIZED');
    expect((await request(front).get('/segments?limit=2&x=1').set('X-API-Key', 'k').expect(400)).body.code).toBe('UNKNOWN_PARAMETER');
    const metrics = (await request(front).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/api_cache_requests_total\{route="\/segments",result="hit"\} [1-9]/);
  });

  it('front lane counts requests by route and status and cache outcomes in /metrics, and writes the access line', async () => {
    const { db } = await testDb('api_front_lane_obs');
    await publishFixtures(db);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '0', CACHE_VERSION_CHECK_MS: '60000' });
    const app = createApp({ db, config, logger });
    const front = requestListenerOf(app);
    const first = await request(front).get('/cohort').expect(200);
    for (let i = 0; i < 3; i++) await request(front).get('/cohort').expect(200);
    await request(front).get('/cohort').set('If-None-Match', first.headers.etag as string).expect(304);
    await request(front).get('/cohort').set('If-None-Match', first.headers.etag as string).set('X-Request-Id', 'front-304').expect(304);
    const metrics = (await request(front).get('/metrics').expect(200)).text;
    // 1 rendered (Express) + 3 front-lane 200s; 2 front-lane 304s.
    expect(metrics).toContain('http_request_duration_seconds_count{method="GET",route="/cohort",status_code="200"} 4');
    expect(metrics).toContain('http_request_duration_seconds_count{method="GET",route="/cohort",status_code="304"} 2');
    expect(metrics).toContain('api_cache_requests_total{route="/cohort",result="miss"} 1');
    expect(metrics).toContain('api_cache_requests_total{route="/cohort",result="hit"} 3');
    expect(metrics).toContain('api_cache_requests_total{route="/cohort",result="not_modified"} 2');
    // Both caches hold /cohort's body (shared): each reports it; the hot one also any compressed
    // copy made by then for supertest's gzip (made in the background, so at least the body).
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
    const bytes = Buffer.byteLength(first.text);
    expect([gauge('api_cache_entries'), gauge('api_cache_bytes'), gauge('api_hot_cache_entries')]).toEqual([1, bytes, 1]);
    expect(gauge('api_hot_cache_bytes')).toBeGreaterThanOrEqual(bytes);
    const access = lines.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { id: string; url: string }; res?: { statusCode: number } });
    const frontLines = access.filter((l) => l.msg === 'request completed (front cache)');
    expect(frontLines).toHaveLength(5);
    expect(frontLines.every((l) => l.level === 30 && l.req?.url === '/cohort')).toBe(true);
    expect(frontLines.at(-1)).toMatchObject({ req: { id: 'front-304', method: 'GET' }, res: { statusCode: 304 } });
    expect(new Set(frontLines.map((l) => l.req?.id)).size).toBe(5);
  });

  it('front lane sends no body with a 304 and the same headers as the 200 besides the length', async () => {
    const { db } = await testDb('api_front_lane_304');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    const front = requestListenerOf(app);
    // /kpis: a small body, so the front lane answers gzip-capable clients (supertest) too.
    const miss = await request(front).get('/kpis').expect(200);
    const hit = await request(front).get('/kpis').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    const notModified = await request(front).get('/kpis').set('If-None-Match', `"other", ${miss.headers.etag as string}`).expect(304);
    expect(notModified.text).toBe('');
    for (const name of ['etag', 'cache-control', 'x-data-version', 'x-cache', 'access-control-allow-origin', 'content-security-policy']) {
      expect(notModified.headers[name], name).toBe(hit.headers[name]);
    }
    expect(hit.headers['content-length']).toBe(String(Buffer.byteLength(miss.text)));
    expect(notModified.headers['x-request-id']).not.toBe(hit.headers['x-request-id']);
    // No representation metadata on a 304 (RFC 9110 15.4.5), as from the Express path: a
    // Content-Length of 0 would contradict the 200's.
    const viaExpress = await request(app).get('/kpis?_=1').set('If-None-Match', miss.headers.etag as string).expect(304);
    for (const lane of [notModified, viaExpress]) {
      expect(lane.headers['content-length']).toBeUndefined();
      expect(lane.headers['content-type']).toBeUndefined();
    }
    // One Vary for one URL, small body or not, whichever lane answers (the compression middleware
    // puts it on every JSON 200 of the Express path; a 304 repeats the 200's).
    // The route itself (no hot lane: the version is checked on every request by default here).
    const viaRoute = await request(buildApp(db)).get('/kpis').set('If-None-Match', miss.headers.etag as string).expect(304);
    for (const res of [miss, hit, notModified, viaExpress, viaRoute]) expect(res.headers.vary).toBe('Accept-Encoding');
  });

  it('front lane waits for a due version check itself, then answers the hit or leaves a new version to Express', async () => {
    const { db } = await testDb('api_front_lane_recheck');
    await publishFixtures(db);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ db, config: loadConfig({ RATE_LIMIT_PER_MINUTE: '0', CACHE_VERSION_CHECK_MS: '100' }), logger });
    const front = requestListenerOf(app);
    const frontServed = () => lines.filter((l) => l.includes('"request completed (front cache)"')).length;
    const first = await request(front).get('/cohort').expect(200);
    await request(front).get('/cohort').expect(200);
    expect(frontServed()).toBe(1);
    // Past the interval (no request in its last tenth to renew it): the check is due.
    await new Promise((r) => setTimeout(r, 150));
    const rechecked = await request(front).get('/cohort').expect(200);
    expect(rechecked.headers['x-cache']).toBe('HIT');
    expect(frontServed()).toBe(2);
    await bumpVersion(db, 'bumped');
    await new Promise((r) => setTimeout(r, 150));
    const bumped = await request(front).get('/cohort').expect(200);
    expect(bumped.headers['x-cache']).toBe('MISS');
    expect(bumped.body.meta.version).toBe('bumped');
    expect(bumped.headers.etag).not.toBe(first.headers.etag);
    expect(frontServed()).toBe(2);
  });

  it('stops replaying once the interval passes and a new version is read', async () => {
    const { db } = await testDb('api_hot_lane_version');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '200' });
    const before = await request(app).get('/cohort').expect(200);
    await request(app).get('/cohort').expect(200);
    await bumpVersion(db, 'bumped');
    await new Promise((r) => setTimeout(r, 250));
    const after = await request(app).get('/cohort').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.meta.version).toBe('bumped');
    expect(after.body.data).toEqual(before.body.data);
  });
});
