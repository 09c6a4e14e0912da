// MongoDB outages turn into quick 503s and heal by themselves; SIGTERM drains gracefully.
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../../../mongo-test-server/src/index.js';
import { createLifecycle } from '../../../src/api/lifecycle.js';
import { createShutdown } from '../../../src/server/graceful-shutdown.js';
import { connectWithRetry, mongoClientOptions } from '../../../src/server/mongo-connect.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { startApi } from '../../support/reliability/api-process.js';
import { buildApp } from './support/api-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('MongoDB outage', () => {
  // The outage is simulated with the project's test server (stopped and restarted on the same
  // port with its data), whatever MONGO_URL points at: a real mongod cannot be stopped from here.
  it('answers 503 DB_UNAVAILABLE while MongoDB is down, then recovers when it is back', async () => {
    let server: MongoTestServer = await startMongoTestServer({ port: 0 });
    const { port, store } = server;
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 300 });
    cleanups.push(async () => {
      await client.close();
      await server.stop();
    });
    const db = client.db('api_outage');
    await publishFixtures(db);
    const app = buildApp(db);
    await request(app).get('/monthly').expect(200);

    await server.stop();
    // How fast is set by serverSelectionTimeoutMS (300 ms here); no timing assertion in tests.
    const down = await request(app).get('/by_product');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'DB_UNAVAILABLE' });
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.text).not.toContain('127.0.0.1');
    expect((await request(app).get('/health').expect(503)).body).toMatchObject({ status: 'down', error: expect.any(String) });
    await request(app).get('/readyz').expect(503);
    await request(app).get('/livez').expect(200);

    server = await startMongoTestServer({ port, store });
    expect(await statusOnceRecovered(app, '/by_product')).toBe(200);
    await request(app).get('/health').expect(200);
  });
});

describe('MongoDB that stops answering', () => {
  // A partition or a hung mongod: connections stay open and nothing comes back, so no connection
  // error ever arrives. Simulated with a TCP proxy that stops reading both ways (the bytes wait
  // in the kernel, as on a broken path) and resumes when thawed, in front of the test server.
  it('answers 503 or 504 within the query timeout instead of hanging, then recovers when MongoDB answers again', async () => {
    const server = await startMongoTestServer({ port: 0 });
    const proxy = await freezableProxy(server.port);
    const config = loadConfig({ QUERY_TIMEOUT_MS: '300', MONGO_SERVER_SELECTION_TIMEOUT_MS: '300' });
    const client = new MongoClient(`mongodb://127.0.0.1:${proxy.port}`, mongoClientOptions(config));
    cleanups.push(async () => {
      proxy.thaw();
      await client.close();
      await proxy.close();
      await server.stop();
    });
    const db = client.db('api_hung_mongo');
    await publishFixtures(db);
    const app = buildApp(db, { QUERY_TIMEOUT_MS: '300', CACHE_VERSION_CHECK_MS: '100' });
    await request(app).get('/kpis').expect(200);

    proxy.freeze();
    await new Promise((r) => setTimeout(r, 150)); // the cached /kpis now needs a version check
    // Without the client's socket and connect timeouts each of these waited ~30 s (the driver's
    // default connectTimeoutMS); now 1.3 s (QUERY_TIMEOUT_MS + 1 s), or up to the 5 s connect
    // timeout for a read that needs a new connection, after which the driver knows it is down.
    for (const path of ['/kpis', '/monthly?limit=2', '/health', '/readyz']) {
      const res = await request(app).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: expect.toBeOneOf([503, 504]) });
      expect(res.body.code ?? res.body.status).toMatch(/DB_UNAVAILABLE|QUERY_TIMEOUT|down/);
    }

    proxy.thaw();
    expect(await statusOnceRecovered(app, '/monthly?limit=2')).toBe(200);
    await request(app).get('/health').expect(200);
  }, 20_000);
});

/** The status of `path` once it is 200, or the last one after ~10 s of retries every 200 ms. */
async function statusOnceRecovered(app: Express, path: string): Promise<number> {
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await request(app).get(path)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  return status;
}

/** A TCP proxy to `port` on loopback that can stop forwarding (both ways) and resume. */
async function freezableProxy(port: number) {
  const pairs: Array<[net.Socket, net.Socket]> = [];
  let frozen = false;
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    pairs.push([inbound, outbound]);
    if (frozen) for (const s of [inbound, outbound]) s.pause();
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    port: (proxy.address() as AddressInfo).port,
    freeze() {
      frozen = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) for (const s of pair) s.resume();
    },
    async close() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      proxy.close();
      await once(proxy, 'close');
    },
  };
}

describe('MongoDB down at start-up', () => {
  it('serves 503 until MongoDB appears, then connects by itself', async () => {
    const probe = await startMongoTestServer({ port: 0 });
    const { port } = probe;
    await probe.stop(); // a port where nothing listens (yet)
    const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 200 });
    const connection = connectWithRetry(client, pino({ level: 'silent' }), { minDelayMs: 50, maxDelayMs: 200 });
    const started: { server?: MongoTestServer } = {};
    cleanups.push(async () => {
      connection.stop();
      await client.close();
      await started.server?.stop();
    });
    const app = buildApp(client.db('api_late_mongo'));
    expect((await request(app).get('/kpis').expect(503)).body.code).toBe('DB_UNAVAILABLE');
    started.server = await startMongoTestServer({ port });
    expect(await connection.connected).toBe(true);
    await request(app).get('/health').expect(200);
    expect((await request(app).get('/kpis').expect(503)).body.code).toBe('DATA_EMPTY');
  });
});

describe('graceful shutdown', () => {
  let t: TestDb;
  afterAll(async () => {
    await t?.cleanup();
  });

  it('turns readiness 503 first, lets the in-flight request finish, then closes MongoDB', async () => {
    t = await connectTestDb('api_shutdown');
    await publishFixtures(t.db);
    const lifecycle = createLifecycle();
    const events: string[] = [];
    const outer = express();
    // A deliberately slow request standing for a long export in flight.
    outer.get('/slow', (_req, res) => {
      // Recorded server-side: the client may see the response only after the server closed.
      res.once('finish', () => events.push('slow finished'));
      setTimeout(() => res.json({ done: true }), 600);
    });
    outer.use(buildApp(t.db, {}, lifecycle));
    const server = http.createServer(outer).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const shutdown = createShutdown({
      server,
      lifecycle,
      logger: pino({ level: 'silent' }),
      delayMs: 300,
      graceMs: 5000,
      closeDb: async () => {
        events.push('db closed');
      },
    });

    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const slow = fetch(`${base}/slow`).then((r) => r.status);
    await new Promise((r) => setTimeout(r, 50));
    const done = shutdown();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await slow).toBe(200);
    await done;
    expect(events).toEqual(['slow finished', 'db closed']);
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
  });

  it('keeps draining when a second SIGTERM arrives (the real entry point), then exits having flushed its log', async () => {
    const own = await connectTestDb('api_double_sigterm');
    await publishFixtures(own.db);
    const api = await startApi({ MONGO_URI: own.uri, MONGO_DB: own.db.databaseName, SHUTDOWN_DELAY_MS: '1500', LOG_LEVEL: 'info' });
    cleanups.push(async () => {
      await api.stop();
      await own.cleanup();
    });
    process.kill(api.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    process.kill(api.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    // Alive and in its shutdown delay: readiness says so. Node's default handler for the second
    // signal would have killed it, and this request would find nothing listening.
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'down', error: 'shutting down' }]);
    for (let i = 0; i < 100 && alive(api.pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(api.pid)).toBe(false);
    expect(api.output()).toContain('"msg":"shutdown requested"');
    expect(api.output()).toContain('"msg":"shutdown already in progress"');
    expect(api.output()).toContain('"msg":"shutdown: HTTP server and MongoDB closed"');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
