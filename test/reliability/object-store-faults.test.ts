// Object-store faults: S3 unreachable, slow (accepts connections, never answers), wrong
// credentials, bucket missing. With `--source s3` the publisher must fail (exit 1) with a message
// naming what is wrong; with `--source auto` it must fall back to the local folders — both within
// a bounded time. The S3 test server (inject('s3')) holds a good copy for the baseline.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectTestDb } from '../support/mongo.js';
import { freePort } from '../support/reliability/api-process.js';
import type { NodeRunResult } from '../support/reliability/child.js';
import { copyFixtureGold, makeTempDir, removeDir } from '../support/reliability/gold-dirs.js';
import { currentMeta, describeRun, runPublisher } from '../support/reliability/publisher-cli.js';
import { printFigures, round } from '../support/reliability/stats.js';
import { emptyBucket, uploadDirectory } from '../support/s3-upload.js';

const BOUND_MS = 30_000;
const BUCKET = 'rel-gold';

describe('publisher against object-store faults', () => {
  const s3 = inject('s3');
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let localDir: string;
  let blackHole: Server;
  let blackHolePort: number;
  const sockets = new Set<Socket>();
  const figures: Record<string, number> = {};
  const messages: Record<string, string> = {};

  const s3Env = (over: Record<string, string> = {}) => ({
    MINIO_ENDPOINT: s3.endpoint,
    MINIO_ACCESS_KEY: s3.accessKey,
    MINIO_SECRET_KEY: s3.secretKey,
    MINIO_SECURE: 'false',
    MINIO_REGION: s3.region,
    GOLD_BUCKET: BUCKET,
    GOLD_PREFIX: '',
    ...over,
  });
  const publish = (source: 'auto' | 's3', env: Record<string, string>) =>
    runPublisher({ mongoUri: conn.uri, dbName: conn.dbName, localDirs: [localDir], source, env: s3Env(env), timeoutMs: 90_000, heapMb: 256 });
  const output = (r: NodeRunResult) => `${r.stdout}\n${r.stderr}`;
  const factOrigin = async () => (await currentMeta(conn.db))?.tables?.fact_achats?.origin ?? '(none)';

  beforeAll(async () => {
    conn = await connectTestDb('rel_s3');
    localDir = await makeTempDir('s3-local');
    await copyFixtureGold(localDir);
    await uploadDirectory(s3, BUCKET, localDir, '');
    // Accepts TCP connections and never writes a byte: the "slow" object store.
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const address = blackHole.address();
    blackHolePort = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    printFigures('object-store-faults', figures);
    for (const [fault, message] of Object.entries(messages)) printFigures('object-store-faults', { fault, message: JSON.stringify(message) });
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole?.close(r));
    await emptyBucket(s3, BUCKET).catch(() => undefined);
    await conn?.cleanup();
    if (localDir) await removeDir(localDir);
  });

  it('publishes from the S3 test server when it is healthy (baseline)', async () => {
    const run = await publish('s3', {});
    figures.baseline_s3_ms = round(run.durationMs, 0);
    expect(run.code, describeRun(run)).toBe(0);
    expect(await factOrigin()).toMatch(/s3|minio/i);
  });

  interface Fault {
    readonly name: string;
    env(): Promise<Record<string, string>>;
    /** What the failure message must mention. */
    mention(env: Record<string, string>): RegExp;
    /**
     * What `--source auto` does: fall back to the local folders (the spec allows it when the
     * store is unreachable or the table is absent there), or refuse like `--source s3` (refused
     * credentials are a misconfiguration; falling back would publish possibly stale local gold).
     */
    readonly auto: 'fallback' | 'refuse';
  }
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const faults: Fault[] = [
    {
      name: 'unreachable',
      auto: 'fallback',
      env: async () => ({ MINIO_ENDPOINT: `127.0.0.1:${await freePort()}` }),
      mention: (env) => new RegExp(escape(env.MINIO_ENDPOINT ?? '?')),
    },
    {
      name: 'slow',
      auto: 'fallback',
      env: async () => ({ MINIO_ENDPOINT: `127.0.0.1:${blackHolePort}` }),
      mention: (env) => new RegExp(escape(env.MINIO_ENDPOINT ?? '?')),
    },
    {
      name: 'wrong-credentials',
      auto: 'refuse',
      env: async () => ({ MINIO_ACCESS_KEY: 'NOT-A-KEY', MINIO_SECRET_KEY: 'not-a-secret' }),
      mention: () => /credential|access.?key|denied|forbidden|403|unauthori[sz]ed|signature/i,
    },
    {
      name: 'bucket-missing',
      auto: 'fallback',
      env: async () => ({ GOLD_BUCKET: 'no-such-gold-bucket' }),
      mention: () => /no-such-gold-bucket/,
    },
  ];

  for (const fault of faults) {
    it(`fails clearly with --source s3 when the object store is ${fault.name}`, async () => {
      const env = await fault.env();
      const versionBefore = (await currentMeta(conn.db))?.version;
      const run = await publish('s3', env);
      figures[`${fault.name}_s3_ms`] = round(run.durationMs, 0);
      messages[fault.name] = (/publish-gold failed[^\n]*/.exec(run.stderr)?.[0] ?? run.stderr.slice(-200)).slice(0, 240);
      expect(run.timedOut, describeRun(run)).toBe(false);
      expect(run.durationMs, describeRun(run)).toBeLessThan(BOUND_MS);
      expect(run.code, describeRun(run)).toBe(1);
      expect(output(run), 'the message names what is wrong').toMatch(fault.mention(env));
      expect(output(run), 'no stack trace for an expected failure').not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
      expect((await currentMeta(conn.db))?.version, 'nothing published').toBe(versionBefore);
    });

    it(`${fault.auto === 'fallback' ? 'falls back to the local folders' : 'refuses, without falling back,'} with --source auto when the object store is ${fault.name}`, async () => {
      const env = await fault.env();
      const versionBefore = (await currentMeta(conn.db))?.version;
      const run = await publish('auto', env);
      figures[`${fault.name}_auto_ms`] = round(run.durationMs, 0);
      expect(run.timedOut, describeRun(run)).toBe(false);
      expect(run.durationMs, describeRun(run)).toBeLessThan(BOUND_MS);
      if (fault.auto === 'fallback') {
        expect(run.code, describeRun(run)).toBe(0);
        expect(await factOrigin()).toMatch(/local/i);
      } else {
        expect(run.code, describeRun(run)).toBe(1);
        expect(output(run), 'the message names what is wrong').toMatch(fault.mention(env));
        expect((await currentMeta(conn.db))?.version, 'nothing published').toBe(versionBefore);
      }
    });
  }
});
