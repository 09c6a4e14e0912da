// Concurrency and crash safety: two publishers (one gets LOCK_HELD, exit 1), a reader polling
// during a publish (always a complete old or new collection), and a publisher SIGKILLed in the
// middle of its load (the last good publish stays served; the next run cleans up and succeeds).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { acquireLock } from '../../../publisher/load/lock.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { fixtureDir, publishFixtures } from '../../support/published-gold.js';
import { copyFixtures, publishFrom, snapshot, tempDir, writeWithDuckDb } from './gold-inputs.js';

let t: TestDb;
beforeAll(async () => {
  t = await connectTestDb('publisher-concurrency');
});
afterAll(async () => {
  await t?.cleanup();
});

const meta = () => t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
const stagingNames = async () =>
  (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(SYSTEM_COLLECTIONS.stagingPrefix));

interface Cli {
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(signal?: NodeJS.Signals): void;
}

function runCli(args: readonly string[], dirs: readonly string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('publisher/cli.ts'), ...args], {
    env: { ...process.env, MONGO_URI: t.uri, MONGO_DB: t.dbName, LOCAL_GOLD_DIRS: dirs.join(':'), MINIO_ENDPOINT: '127.0.0.1:9', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { done, kill: (signal = 'SIGKILL') => child.kill(signal) };
}

describe('two publishers at once', () => {
  it('in one process: the second fails with LOCK_HELD and the first publishes', async () => {
    const results = await Promise.allSettled([publishFixtures(t.db), publishFixtures(t.db, { layout: 'spark' })]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(isAppError(failed[0]) && failed[0].code).toBe('LOCK_HELD');
    expect((failed[0] as Error).message).toMatch(/another publisher is running/);
  });

  it('as a CLI process while another live publisher holds the lock: exits 1 with a clear message', async () => {
    // This test process plays the live publisher (its pid is alive, so the lock is not stale).
    const lock = await acquireLock(t.db, { ttlMs: 60_000 });
    try {
      const before = (await meta())?.version;
      const result = await runCli(['--force'], [fixtureDir('pandas')]).done;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/publish-gold failed \(exit 1, LOCK_HELD\): lock: another publisher is running \(owner /);
      expect((await meta())?.version).toBe(before);
    } finally {
      await lock.release();
    }
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
  }, 120_000);
});

describe('the lock', () => {
  const lockDoc = (expiresInMs: number, host = 'another-host') => ({
    _id: 'publish',
    owner: `${host}:4242:deadbeef`,
    host,
    pid: 4242,
    acquired_at: new Date(Date.now() - 60_000),
    expires_at: new Date(Date.now() + expiresInMs),
  });

  it('held by a live publisher on another host refuses the publish until it expires', async () => {
    await t.db.collection(SYSTEM_COLLECTIONS.lock).insertOne(lockDoc(60_000) as never);
    try {
      const error = await publishFixtures(t.db).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('LOCK_HELD');
      expect((error as Error).message).toMatch(/owner another-host:4242:deadbeef/);
    } finally {
      await t.db.collection(SYSTEM_COLLECTIONS.lock).deleteMany({});
    }
  });

  it('whose expiry has passed is taken over, and released after the publish', async () => {
    await t.db.collection(SYSTEM_COLLECTIONS.lock).insertOne(lockDoc(-1_000) as never);
    const summary = await publishFixtures(t.db);
    expect(summary.status).toBe('published');
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
  });
});

describe('a reader during a publish', () => {
  it('always sees a complete old or a complete new collection', async () => {
    const { dir, remove } = await tempDir('reader');
    try {
      await publishFixtures(t.db);
      await copyFixtures(dir, 'pandas', ['ca_monthly']);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * FROM {src} ORDER BY id_achat LIMIT 250');
      const seen = new Map<string, number>();
      let finished = false;
      const publish = publishFrom(t.db, [dir], { force: true, batchRows: 16 }).finally(() => (finished = true));
      let polls = 0;
      while (!finished) {
        const [facts, kpis, daily] = await Promise.all([
          t.db.collection('gold_fact_achats').countDocuments(),
          t.db.collection('gold_kpis').find({}).toArray(),
          t.db.collection('gold_daily').countDocuments(),
        ]);
        const key = `${facts}/${kpis.length}:${String(kpis[0]?.total_achats)}/${daily > 0}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        polls++;
      }
      await publish;
      console.info(`reader: ${polls} polls during the publish saw ${JSON.stringify([...seen])}`);
      expect(polls).toBeGreaterThan(3);
      for (const key of seen.keys()) expect(['400/1:400/true', '250/1:400/true', '250/1:250/true', '400/1:250/true']).toContain(key);
      expect(await t.db.collection('gold_fact_achats').countDocuments()).toBe(250);
    } finally {
      await remove();
    }
  });
});

/**
 * Publishes the fixtures, starts a CLI republishing, sends it `signal` once it is loading
 * (staging exists) and waits for it to end; checks it got there and that the fixtures' publish
 * is still served, and returns how the CLI ended.
 */
async function interruptMidLoad(signal: NodeJS.Signals): Promise<Awaited<Cli['done']>> {
  const before = await publishFixtures(t.db);
  const served = await snapshot(t.db, 'gold_fact_achats', true);
  const cli = runCli(['--force'], [fixtureDir('spark')]);
  let sent = false;
  for (const deadline = Date.now() + 30_000; !sent && Date.now() < deadline; ) {
    if ((await stagingNames()).length > 0) {
      cli.kill(signal);
      sent = true;
    } else await new Promise((r) => setTimeout(r, 5));
  }
  const result = await cli.done;
  expect(sent, `the publisher never reached its load phase:\n${result.stderr}`).toBe(true);
  expect((await meta())?.version).toBe(before.version);
  expect(await snapshot(t.db, 'gold_fact_achats', true)).toEqual(served);
  return result;
}

describe('a publisher stopped with SIGTERM mid-publish', () => {
  it('releases its lock at once and exits 143, the last good publish still served', async () => {
    const result = await interruptMidLoad('SIGTERM');
    expect(result.code, result.stderr).toBe(143);
    expect(result.stderr).toMatch(/SIGTERM received: stopping; the served publish is unchanged, releasing the publish lock/);
    // Released, not left to expire: a publisher in another container (another host name, so no
    // dead-process takeover) can publish at once.
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
  }, 120_000);
});

describe('a publisher killed mid-publish', () => {
  it('leaves the last good publish served; the next run cleans up and publishes', async () => {
    const result = await interruptMidLoad('SIGKILL');
    expect(result.signal).toBe('SIGKILL');
    const before = await meta();
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments(), 'the dead publisher left its lock').toBe(1);

    // Same host, dead pid: the lock is taken over at once; the leftovers are dropped.
    const { dir, remove } = await tempDir('report');
    const reportFile = path.join(dir, 'report.json');
    const rerun = await runCli(['--force', '--report', reportFile], [fixtureDir('spark')]).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as { status: string; version: string; tables: Record<string, { rows: number }> };
    await remove();
    expect(report.status).toBe('published');
    expect(report.version).toBe((await meta())?.version);
    expect(report.tables.fact_achats?.rows).toBe(400);
    expect(rerun.stdout).toMatch(/^published 9 tables, 560 rows \(0 rejected\) from local/m);
    expect(rerun.stdout).toMatch(/dropped \d+ collection\(s\) left by a crashed run/);
    expect(await stagingNames()).toEqual([]);
    expect((await meta())?.version).not.toBe(before?.version);
  }, 180_000); // two CLI start-ups (tsx) on a shared machine
});
