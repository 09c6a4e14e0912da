// Edges of the cached lanes found by an audit (2026-12-06): a query too long for the default
// parser, a fragment in the URL, `If-None-Match: *`, and the version age reported to Prometheus.
import { once } from 'node:events';
import net from 'node:net';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { requestListenerOf } from '../../../src/app.js';
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, bumpVersion, loopbackServers, testDatabases } from './support/api-harness.js';

const testDb = testDatabases();
const servers = loopbackServers();
afterAll(() => servers.closeAll());

describe('cache edges', () => {
  it('reads a query of over a thousand parameters whole, so it cannot plant a response under a URL it does not mean', async () => {
    // node:querystring keeps the first 1,000 parameters by default; the cache lanes key entries on
    // the URL minus its `_` cache busters, so a truncated parse once cached an unfiltered,
    // unlimited /scores under `/scores?segment=Dormants&limit=5` (found by an audit).
    const { db } = await testDb('api_cache_many_params');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    const front = requestListenerOf(app);
    const pad = '_=1&'.repeat(1000);
    const planted = await request(app).get(`/scores?${pad}segment=Dormants&limit=5`).expect(200);
    expect(planted.body.data).toHaveLength(5);
    for (const lane of [app, front]) {
      const res = await request(lane).get('/scores?segment=Dormants&limit=5').expect(200);
      expect(res.body.data).toHaveLength(5);
      expect(new Set(res.body.data.map((row: { segment_label: string }) => row.segment_label))).toEqual(new Set(['Dormants']));
    }
    await request(app).get(`/scores?${pad}limit=abc`).expect(400);
    for (const lane of [app, front]) expect((await request(lane).get('/scores?limit=abc').expect(400)).body.details).toMatchObject({ parameter: 'limit' });
  });

  it('answers If-None-Match: * with 304 once the response exists, rendering it first when nothing is cached', async () => {
    const { db } = await testDb('api_inm_star');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    await request(app).get('/monthly').set('If-None-Match', '*').expect(304);
    const res = await request(app).get('/monthly').expect(200);
    expect(res.headers['x-cache']).toBe('HIT');
    await request(app).get('/monthly').set('If-None-Match', '*').expect(304);
  });

  it('reports the served version and its age in /metrics on a scrape, with no data request needed', async () => {
    const { db } = await testDb('api_version_age');
    await publishFixtures(db);
    const app = buildApp(db);
    const meta = await db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
    const metrics = (await request(app).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`^gold_data_version_age_seconds\\{version="${String(meta?.version)}"\\} \\d`, 'm'));
    await bumpVersion(db, 'republished');
    const after = (await request(app).get('/metrics').expect(200)).text;
    expect(after).toMatch(/^gold_data_version_age_seconds\{version="republished"\} \d/m);
    expect(after.match(/^gold_data_version_age_seconds\{/gm)).toHaveLength(1);
  });

  it('caches no response for a URL with a fragment, which Express renders without the query after it', async () => {
    // Sent raw: HTTP clients strip fragments. Express ends the query at `#`, so this renders plain
    // /scores, which the hot caches once stored under `/scores?segment=VIP&limit=31`.
    const { db } = await testDb('api_cache_fragment');
    await publishFixtures(db);
    const app = buildApp(db, { CACHE_VERSION_CHECK_MS: '60000' });
    const port = await servers.listen(requestListenerOf(app));
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.write('GET /scores?_=1#&segment=VIP&limit=31 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await once(socket, 'close');
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 200/);
    for (const lane of [app, requestListenerOf(app)]) {
      // Identity, as curl asks: a gzip client would be sent through the route for a first copy.
      const res = await request(lane).get('/scores?segment=VIP&limit=31').set('Accept-Encoding', 'identity').expect(200);
      expect(res.body.meta.limit).toBe(31);
      expect(new Set(res.body.data.map((row: { segment_label: string }) => row.segment_label))).toEqual(new Set(['VIP']));
    }
  });
});
