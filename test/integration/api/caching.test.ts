// Version-keyed caching: ETag/304, hits, invalidation when a publish lands, 503 when empty.
import type { Db } from 'mongodb';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { requestListenerOf } from '../../../src/app.js';
import { DATASETS, KPI_DOCUMENT, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loadExpectedTables } from './support/api-harness.js';
import { expectedKpis } from './support/expected-endpoints.js';

const dbs: TestDb[] = [];
async function testDb(label: string): Promise<TestDb> {
  const t = await connectTestDb(label);
  dbs.push(t);
  return t;
}
afterEach(async () => {
  for (const t of dbs.splice(0)) await t.cleanup();
});

/** The collection the API reads for `collection` in the current publish (its served copy). */
async function servedCollection(db: Db, collection: string): Promise<string> {
  const meta = await db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
  const served = (meta?.served ?? {}) as Record<string, string>;
  return served[collection] ?? collection;
}

const bumpVersion = (db: Db, version: string) =>
  db.collection(SYSTEM_COLLECTIONS.meta).updateOne({ _id: 'current' as never }, { $set: { version } });

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
    await db.collection(SYSTEM_COLLECTIONS.meta).updateOne({ _id: 'current' as never }, { $set: { version: 'manual-bump' } });
    const soon = await request(app).get('/by_country').expect(200);
    expect(soon.headers['x-cache']).toBe('HIT');
    expect(soon.body.meta.version).toBe(before.body.meta.version);
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

  it('front lane is not used with in-process rate limiting or a CORS origin list', async () => {
    const { db } = await testDb('api_front_lane_off');
    const limited = buildApp(db, { RATE_LIMIT_PER_MINUTE: '10' });
    expect(requestListenerOf(limited)).toBe(limited);
    const origins = buildApp(db, { CORS_ORIGINS: 'https://a.example' });
    expect(requestListenerOf(origins)).toBe(origins);
  });

  it('stops replaying once the interval passes and a new version is read', async () => {
    const { db } = await testDb('api_hot_lane_version');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '200' });
    const before = await request(app).get('/cohort').expect(200);
    await request(app).get('/cohort').expect(200);
    await db.collection(SYSTEM_COLLECTIONS.meta).updateOne({ _id: 'current' as never }, { $set: { version: 'bumped' } });
    await new Promise((r) => setTimeout(r, 250));
    const after = await request(app).get('/cohort').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.meta.version).toBe('bumped');
    expect(after.body.data).toEqual(before.body.data);
  });
});
