// A read that has started waiting for MongoDB when the driver learns MongoDB is down answers
// "unavailable" then, not after the whole server-selection timeout: behind the cache's version
// check every cache lane's requests waited for such a read (the outage test's first 503s).
// Our own test server is stopped here (a real mongod cannot be stopped from a test).
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../../../mongo-test-server/src/index.js';
import { createGoldReader } from '../../../src/api/data/gold-reader.js';

const SELECTION_TIMEOUT_MS = 20_000;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('reads during an outage', () => {
  it('refuse a waiting read as soon as the driver marks MongoDB down, long before the selection timeout', async () => {
    const server = await startMongoTestServer({ port: 0, logLevel: 'warn' });
    cleanups.push(() => server.stop().catch(() => undefined));
    const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: SELECTION_TIMEOUT_MS, heartbeatFrequencyMS: 500 });
    cleanups.push(() => client.close());
    const reader = createGoldReader(client.db('reader_outage'), 2_000);
    expect(await reader.readMeta()).toBeNull();
    const down = new Promise<void>((resolve) =>
      client.on('topologyDescriptionChanged', (event) => {
        if (!event.newDescription.hasDataBearingServers) resolve();
      }),
    );
    await server.stop();
    // Started before the driver has seen the outage: it waits in server selection.
    const started = Date.now();
    const outcome = reader.readMeta().then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    await down;
    expect(await outcome).toBe('DB_UNAVAILABLE');
    // Refused at the down event, not at the selection timeout (20 s).
    expect(Date.now() - started).toBeLessThan(SELECTION_TIMEOUT_MS / 2);
  });
});
