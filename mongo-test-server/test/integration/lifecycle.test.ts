// The test server's own lifecycle (independent of MONGO_URL): stop() drops every client
// socket, a new server on the same port with the same store serves the same data, and the
// CLI prints its URI and exits on SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { startMongoTestServer } from '../../src/index.js';
import type { MongoTestServer } from '../../src/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function started(options: Parameters<typeof startMongoTestServer>[0] = {}): Promise<MongoTestServer> {
  const server = await startMongoTestServer(options);
  cleanups.push(() => server.stop());
  return server;
}

function client(uri: string): MongoClient {
  const c = new MongoClient(uri, { serverSelectionTimeoutMS: 1500, connectTimeoutMS: 1000, heartbeatFrequencyMS: 500 });
  cleanups.push(() => c.close());
  return c;
}

describe('startMongoTestServer', () => {
  it('listens on a free port and reports a mongodb:// uri', async () => {
    const server = await started({ port: 0 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}`);
    const c = client(server.uri);
    expect(await c.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('stop() closes open client sockets, and a restart with the same store keeps the data', async () => {
    const first = await started({ port: 0 });
    const c = client(first.uri);
    await c.db('life').collection('kept').insertMany([{ n: 1 }, { n: 2 }]);
    await first.stop();
    await expect(c.db('life').collection('kept').countDocuments()).rejects.toThrow();
    const second = await started({ port: first.port, store: first.store });
    expect(second.uri).toBe(first.uri);
    // The same client recovers once the server is back.
    let count = -1;
    for (let attempt = 0; attempt < 20 && count < 0; attempt++) {
      count = await c.db('life').collection('kept').countDocuments().catch(() => -1);
    }
    expect(count).toBe(2);
  });

  it('keeps servers with different stores isolated', async () => {
    const a = await started();
    const b = await started();
    await client(a.uri).db('iso').collection('c').insertOne({ x: 1 });
    expect(await client(b.uri).db('iso').collection('c').countDocuments()).toBe(0);
  });
});

describe('CLI', () => {
  it('prints its uri once ready, serves requests and exits on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const uri = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /mongodb:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early with ${code}: ${out}`)));
    });
    const c = client(uri);
    expect(await c.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await c.close();
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
