// The `publish-gold` CLI as a scheduler runs it: exit codes and messages of refused runs that
// must leave the served publish untouched — an empty fact_achats (exit 2), S3 refusing the
// credentials while local gold is present (exit 1, no fallback), a --report path that cannot be
// written (exit 1 before publishing, not after) — and a report written next to a publish, or
// failing afterwards (exit 3: published, report missing).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { fixtureDir, publishFixtures } from '../../support/published-gold.js';
import { emptyBucket, uploadDirectory } from '../../support/s3-upload.js';
import { copyFixtures, tempDir, writeWithDuckDb } from './gold-inputs.js';

const s3 = inject('s3');
const BUCKET = 'gold-publisher-cli';
let t: TestDb;
let servedVersion: string | null;
beforeAll(async () => {
  t = await connectTestDb('publisher-cli');
  servedVersion = (await publishFixtures(t.db)).version;
  await uploadDirectory(s3, BUCKET, fixtureDir('pandas'), '');
});
afterAll(async () => {
  await emptyBucket(s3, BUCKET).catch(() => undefined);
  await t?.cleanup();
});

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs publish-gold with local folders `dirs`; S3 unreachable unless `env` says otherwise. */
function runCli(args: readonly string[], dirs: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('publisher/cli.ts'), ...args], {
    env: { ...process.env, MONGO_URI: t.uri, MONGO_DB: t.dbName, LOCAL_GOLD_DIRS: dirs.join(':'), MINIO_ENDPOINT: '127.0.0.1:9', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The publish made in beforeAll is still served, with no staging or lock left behind. */
async function expectStillServed(): Promise<void> {
  const meta = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
  expect(meta?.version).toBe(servedVersion);
  expect(await t.db.collection('gold_fact_achats').countDocuments()).toBe(400);
  const names = (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  expect(names.filter((n) => n.startsWith(SYSTEM_COLLECTIONS.stagingPrefix))).toEqual([]);
  expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
}

describe('publish-gold refusing a run', () => {
  it('exits 2 with TABLE_EMPTY naming fact_achats and its file when fact_achats has 0 rows, even with --force', async () => {
    const { dir, remove } = await tempDir('cli-empty');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * FROM {src} LIMIT 0');
      const result = await runCli(['--source', 'local', '--force'], [dir]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`publish-gold failed (exit 2, TABLE_EMPTY): validate: fact_achats: 0 rows in ${path.join(dir, 'fact_achats.parquet')}: `);
      expect(result.stdout).not.toMatch(/published \d+ tables/);
      await expectStillServed();
    } finally {
      await remove();
    }
  });

  it('exits 1 with S3_ACCESS_DENIED naming endpoint and bucket when S3 refuses the credentials, not falling back to local gold', async () => {
    const result = await runCli(['--force'], [fixtureDir('pandas')], {
      MINIO_ENDPOINT: s3.endpoint,
      MINIO_ACCESS_KEY: 'WRONG',
      MINIO_SECRET_KEY: 'WRONG',
      MINIO_REGION: s3.region,
      GOLD_BUCKET: BUCKET,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`publish-gold failed \\(exit 1, S3_ACCESS_DENIED\\): S3 access denied at ${s3.endpoint}, bucket "${BUCKET}" \\(HTTP 403`));
    expect(result.stderr).toMatch(/not falling back to local folders/);
    expect(result.stdout).not.toMatch(/falling back to local folders/);
    await expectStillServed();
  });

  it('exits 1 before publishing, naming the path, when the --report folder does not exist', async () => {
    const report = '/nonexistent-publisher-report-dir/r.json';
    const result = await runCli(['--source', 'local', '--force', '--report', report], [fixtureDir('pandas')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `publish-gold failed (exit 1, REPORT_UNWRITABLE): report: cannot write --report ${report}: folder /nonexistent-publisher-report-dir does not exist; nothing was published\n`,
    );
    expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toMatch(/published \d+ tables/);
    await expectStillServed();
  });

  it('exits 1 before publishing when the --report path is a folder', async () => {
    const { dir, remove } = await tempDir('cli-report-folder');
    try {
      const result = await runCli(['--source', 'local', '--force', '--report', dir], [fixtureDir('pandas')]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`REPORT_UNWRITABLE): report: cannot write --report ${dir}: it is a folder; nothing was published`);
      await expectStillServed();
    } finally {
      await remove();
    }
  });
});

describe('publish-gold with --report', () => {
  // /dev/full passes the up-front check (an existing writable file) and fails every write (ENOSPC).
  it.skipIf(!existsSync('/dev/full'))('exits 3 naming the path and the served version when the report cannot be written after a publish', async () => {
    const result = await runCli(['--source', 'local', '--force', '--report', '/dev/full'], [fixtureDir('pandas')]);
    expect(result.code, result.stderr).toBe(3);
    const meta = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
    expect(meta?.version).not.toBe(servedVersion);
    expect(result.stderr).toContain(`publish-gold: published (served version ${meta?.version as string}), but the report could not be written to /dev/full: ENOSPC`);
    expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    expect(result.stdout).toMatch(/published \d+ tables/);
    servedVersion = meta?.version as string;
  });

  it('writes the summary and exits 0 when the publish succeeds', async () => {
    const { dir, remove } = await tempDir('cli-report');
    try {
      const report = path.join(dir, 'r.json');
      const result = await runCli(['--source', 'local', '--force', '--report', report], [fixtureDir('pandas')]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(await readFile(report, 'utf8')) as { status: string; version: string };
      expect(summary.status).toBe('published');
      const meta = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
      expect(summary.version).toBe(meta?.version);
      servedVersion = summary.version;
    } finally {
      await remove();
    }
  });
});
