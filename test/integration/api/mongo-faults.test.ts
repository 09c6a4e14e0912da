// MongoDB's answers the API must turn into clean responses, provoked with mongod's failCommand
// fail point (our test server's, or a real mongod's with test commands): a query ended for its
// time limit (504, then recovery), a connection dropped mid-query (503), and an export whose
// cursor fails after rows were sent (the response is cut off, never completed as if whole, also
// when the front thread forwards it).
import http from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requestListenerOf } from '../../../src/app.js';
import { DATASETS, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { clientUnderFailPoint, type FailPointSpec, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loopbackServers, testDatabases } from './support/api-harness.js';
import { startThreaded } from './support/front-thread-server.js';

const testDb = testDatabases();
const servers = loopbackServers();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => servers.closeAll());

const SCORES = DATASETS.find((d) => d.endpoint?.path === '/scores')!;

/** The API over `t`'s database, through a client the fail point targets; undefined (skipped) without fail points. */
async function appUnderFault(ctx: { skip: () => void }, t: TestDb, spec: FailPointSpec, env: Record<string, string> = {}) {
  // Heartbeat every 500 ms, as the API's own client beats every second (mongoClientOptions):
  // after a dropped connection the driver marks the server unknown until its monitor sees it again.
  const fault = await clientUnderFailPoint(ctx, t.uri, spec, { serverSelectionTimeoutMS: 2_000, heartbeatFrequencyMS: 500 });
  if (!fault) return undefined;
  cleanups.push(() => fault.off());
  return buildApp(fault.client.db(t.dbName), env);
}

/** The same API, served by the front thread (main.ts's default) instead: its port. */
async function threadedUnderFault(ctx: { skip: () => void }, t: TestDb, spec: FailPointSpec, env: Record<string, string>): Promise<number | undefined> {
  const fault = await clientUnderFailPoint(ctx, t.uri, spec, { serverSelectionTimeoutMS: 2_000, heartbeatFrequencyMS: 500 });
  if (!fault) return undefined;
  cleanups.push(() => fault.off());
  const thread = await startThreaded(fault.client.db(t.dbName), { RATE_LIMIT_PER_MINUTE: '0', CACHE_VERSION_CHECK_MS: '0', ...env });
  cleanups.push(() => thread.close());
  return Number(new URL(thread.base).port);
}

describe('MongoDB faults', () => {
  it('answers 504 naming the stage when MongoDB ends a query for its time limit, and recovers on the next request', async (ctx) => {
    const t = await testDb('api_fault_timeout');
    await publishFixtures(t.db);
    const app = await appUnderFault(ctx, t, { failCommands: ['find'], errorCode: 50, times: 1 });
    if (!app) return;
    const res = await request(app).get('/monthly').expect(504);
    expect(res.body).toMatchObject({ code: 'QUERY_TIMEOUT', details: { stage: expect.any(String) } });
    expect(res.body.error).toMatch(/exceeded its time limit/);
    await request(app).get('/monthly').expect(200);
  });

  it('answers 503 when MongoDB drops the connection mid-query', async (ctx) => {
    const t = await testDb('api_fault_close');
    await publishFixtures(t.db);
    const app = await appUnderFault(ctx, t, { failCommands: ['find'], closeConnection: true, times: 1 });
    if (!app) return;
    const res = await request(app).get('/by_country').expect(503);
    expect(res.body).toMatchObject({ code: 'DB_UNAVAILABLE' });
    expect(res.headers['retry-after']).toBeDefined();
    // Recovery: the driver reconnects once its monitor has seen the server again.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await request(app).get('/by_country')).status;
    }
    expect(status).toBe(200);
  });

  it.for(['the app thread', 'the front thread'])('cuts an export off when its cursor fails after the first rows, instead of ending it as if complete (served by %s)', async (serving, ctx) => {
    const t = await testDb(`api_fault_export_${serving.split(' ')[1]}`);
    await publishFixtures(t.db);
    // More rows than one cursor batch (1,000), so the export needs a getMore.
    const meta = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
    const physical = (meta?.served as Record<string, string> | undefined)?.[SCORES.collection] ?? SCORES.collection;
    const template = await t.db.collection(physical).findOne({}, { projection: { _id: 0 } });
    await t.db.collection(physical).insertMany(Array.from({ length: 2_500 }, (_, i) => ({ ...template, id_client: 1_000_000 + i })));
    const total = await t.db.collection(physical).countDocuments();
    const spec: FailPointSpec = { failCommands: ['getMore'], errorCode: 50, times: 1 };
    let port: number | undefined;
    if (serving === 'the front thread') port = await threadedUnderFault(ctx, t, spec, { LOG_LEVEL: 'silent' });
    else {
      const app = await appUnderFault(ctx, t, spec, { LOG_LEVEL: 'silent' });
      if (app) port = await servers.listen(requestListenerOf(app));
    }
    if (port === undefined) return;
    const outcome = await new Promise<{ status: number; lines: number; complete: boolean; error?: string }>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: `/scores?format=csv&limit=${total}` }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const done = (error?: Error) => resolve({ status: res.statusCode ?? 0, lines: text.split('\n').length - 1, complete: res.complete, ...(error ? { error: error.message } : {}) });
        res.on('error', done);
        res.on('end', () => done());
        res.on('close', () => done());
      });
    });
    expect(outcome.status).toBe(200);
    expect(outcome.complete).toBe(false);
    // The header and the first batch arrived; not every row did.
    expect(outcome.lines).toBeGreaterThan(1);
    expect(outcome.lines).toBeLessThan(total + 1);
  });
});
