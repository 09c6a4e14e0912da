// MongoDB outages turn into quick 503s and heal by themselves; SIGTERM drains gracefully.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../../../mongo-test-server/src/index.js';
import { createLifecycle } from '../../../src/api/lifecycle.js';
import { createShutdown } from '../../../src/server/graceful-shutdown.js';
import { connectWithRetry } from '../../../src/server/mongo-connect.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
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
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await request(app).get('/by_product')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    await request(app).get('/health').expect(200);
  });
});

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
});
