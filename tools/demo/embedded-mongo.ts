// The demo's MongoDB when none is configured: a real `mongod` from PATH on a temporary dbpath
// when there is one, otherwise the project's wire-compatible in-memory test server.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { AppError } from '../../src/errors/app-error.js';
import { startMongoTestServer } from '../../mongo-test-server/src/index.js';

export interface EmbeddedMongo {
  readonly kind: 'mongod' | 'test-server';
  readonly uri: string;
  /** One line telling the user what runs, said plainly. */
  readonly description: string;
  stop(): Promise<void>;
}

export const DEMO_ERROR_CODES = Object.freeze({
  MONGOD_FAILED: 'DEMO_MONGOD_FAILED',
  PORT_IN_USE: 'DEMO_PORT_IN_USE',
} as const);

/** The first executable `name` on PATH, or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A port the OS just handed out on 127.0.0.1 (closed again; a tiny race is accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForMongo(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mongod exited with code ${child.exitCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      await client.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startMongod(binary: string): Promise<EmbeddedMongo> {
  const dbpath = await mkdtemp(join(tmpdir(), 'gold-demo-mongod-'));
  const port = await freePort();
  const child = spawn(binary, ['--dbpath', dbpath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: 'ignore' });
  const uri = `mongodb://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dbpath, { recursive: true, force: true });
  };
  try {
    await waitForMongo(uri, child, 30_000);
  } catch (error) {
    await stop();
    throw new AppError(DEMO_ERROR_CODES.MONGOD_FAILED, `demo: ${binary} did not start on port ${port}: ${(error as Error).message}`, { cause: error });
  }
  return { kind: 'mongod', uri, description: `mongod (${binary}) on ${uri}, temporary dbpath ${dbpath}`, stop };
}

/** Starts mongod from PATH if there is one (falls back when it fails), else the test server. */
export async function startEmbeddedMongo(options: { readonly path?: string; readonly onNote?: (note: string) => void } = {}): Promise<EmbeddedMongo> {
  const binary = findOnPath('mongod', options.path);
  if (binary) {
    try {
      return await startMongod(binary);
    } catch (error) {
      options.onNote?.(`${(error as Error).message}; falling back to the in-memory test server`);
    }
  }
  const server = await startMongoTestServer({ port: 0, logLevel: 'warn' });
  return {
    kind: 'test-server',
    uri: server.uri,
    description:
      `no mongod on PATH: using the project's wire-compatible in-memory MongoDB test server at ${server.uri} ` +
      '(a stand-in for development — data is lost on exit; set MONGO_URI to use a real MongoDB)',
    stop: () => server.stop(),
  };
}
