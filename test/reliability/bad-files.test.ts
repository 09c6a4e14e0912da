// Bad files: each of ../shared/data/parquet-testing/bad_data/, a truncated file, a zero-byte file,
// a non-Parquet file, an absurd footer length, a wrong schema and a forged 10× oversized row group
// take the place of fact_achats. The publisher (heap-capped) must exit 2 with an error naming the
// file, in bounded time, and the API must keep serving the last good publish.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb } from '../support/mongo.js';
import { startApi, type ApiProcess } from '../support/reliability/api-process.js';
import { copyFixtureGold, makeTempDir, removeDir, writeBytes, writeSingleRowGroupFact, writeWrongSchemaFact } from '../support/reliability/gold-dirs.js';
import { forgeOversizedRowGroup, roundTripFooter, truncate } from '../support/reliability/parquet-forge.js';
import { FIXTURE_PANDAS, SHARED_BAD_DATA, sharedBadDataExists } from '../support/reliability/paths.js';
import { currentMeta, describeRun, runPublisher, stagingCollections } from '../support/reliability/publisher-cli.js';
import { matchDataset, takeSnapshot, type Snapshot } from '../support/reliability/snapshots.js';
import { printFigures, round } from '../support/reliability/stats.js';

const HEAP_MB = 128;
const TIME_BOUND_MS = 20_000;
const SERVED_PATHS = ['/kpis', '/monthly', '/daily'] as const;
const TARGET = 'fact_achats.parquet';

interface BadFile {
  readonly name: string;
  /** Writes the bad file at `file`. */
  write(file: string): Promise<void>;
  /** What the error output must contain. */
  readonly mention: RegExp;
}

const fixtureFact = () => readFile(path.join(FIXTURE_PANDAS, TARGET));
const namesFile = /fact_achats\.parquet/;

const OWN_BAD_FILES: BadFile[] = [
  { name: 'truncated', write: async (f) => writeBytes(f, truncate(await fixtureFact(), 0.6)), mention: namesFile },
  { name: 'zero-byte', write: (f) => writeBytes(f, ''), mention: namesFile },
  { name: 'not-parquet', write: (f) => writeBytes(f, 'id_achat,id_client,montant\n1,2,3.5\n'), mention: namesFile },
  {
    name: 'absurd-footer-length',
    // PAR1, a few bytes, then a footer length of ~2 GiB and the trailing magic.
    write: (f) => writeBytes(f, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from([0xf0, 0xff, 0xff, 0x7f]), Buffer.from('PAR1')])),
    mention: namesFile,
  },
  { name: 'wrong-schema', write: (f) => writeWrongSchemaFact(f), mention: /fact_achats[\s\S]*montant|montant[\s\S]*fact_achats/ },
  {
    name: 'oversized-row-group-10x',
    write: async (f) => {
      await writeSingleRowGroupFact(f);
      const good = await readFile(f);
      roundTripFooter(good);
      await writeBytes(f, forgeOversizedRowGroup(good, 10));
    },
    mention: namesFile,
  },
];

const sharedBadFiles = (): BadFile[] =>
  sharedBadDataExists()
    ? readdirSync(SHARED_BAD_DATA)
        .filter((n) => n.endsWith('.parquet'))
        .sort()
        .map((n) => ({
          name: `bad_data/${n}`,
          write: async (f: string) => writeBytes(f, await readFile(path.join(SHARED_BAD_DATA, n))),
          // Some of these decode fine in one reader and not another; either way they are not a
          // valid fact_achats, so the error must at least name the table's file.
          mention: /fact_achats/,
        }))
    : [];

if (!sharedBadDataExists()) console.warn(`[reliability] ${SHARED_BAD_DATA} is absent: the parquet-testing bad_data cases are skipped`);

describe('publisher against bad files', () => {
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let api: ApiProcess;
  let goodDir: string;
  let snapshot: Snapshot;
  let goodVersion: string | undefined;
  const rows: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    conn = await connectTestDb('rel_bad');
    goodDir = await makeTempDir('good');
    await copyFixtureGold(goodDir);
    // The good publish runs under the same heap cap, so a failure below is the file, not the cap.
    const run = await runPublisher({ mongoUri: conn.uri, dbName: conn.dbName, localDirs: [goodDir], heapMb: HEAP_MB });
    expect(run.code, describeRun(run)).toBe(0);
    rows.push({ case: 'good', exit: run.code, ms: round(run.durationMs, 0), peak_rss_mb: round(run.peakRssMb) });
    goodVersion = (await currentMeta(conn.db))?.version;
    api = await startApi({ MONGO_URI: conn.uri, MONGO_DB: conn.dbName });
    snapshot = await takeSnapshot(api.baseUrl, SERVED_PATHS);
  });

  afterAll(async () => {
    for (const r of rows) printFigures('bad-files', r);
    await api?.stop();
    await conn?.cleanup();
    if (goodDir) await removeDir(goodDir);
  });

  const cases = [...sharedBadFiles(), ...OWN_BAD_FILES];
  it.each(cases.map((c) => [c.name, c] as const))('rejects %s with exit 2 naming the file and keeps serving the last good publish', async (_name, bad) => {
    const dir = await makeTempDir('bad');
    try {
      await copyFixtureGold(dir);
      await bad.write(path.join(dir, TARGET));
      const run = await runPublisher({ mongoUri: conn.uri, dbName: conn.dbName, localDirs: [dir], heapMb: HEAP_MB, timeoutMs: 60_000 });
      const message = /publish-gold failed[^\n]*/.exec(run.stderr)?.[0] ?? run.stderr.trim().split('\n').pop() ?? '';
      rows.push({ case: bad.name, exit: run.code, signal: run.signal, ms: round(run.durationMs, 0), peak_rss_mb: round(run.peakRssMb), message: JSON.stringify(message.slice(0, 160)) });
      expect(run.timedOut, describeRun(run)).toBe(false);
      expect(run.code, describeRun(run)).toBe(2);
      expect(`${run.stdout}\n${run.stderr}`, describeRun(run)).toMatch(bad.mention);
      expect(run.durationMs, 'bounded time').toBeLessThan(TIME_BOUND_MS);
      expect((await currentMeta(conn.db))?.version, 'the published version is unchanged').toBe(goodVersion);
      expect(await stagingCollections(conn.db), 'staging collections left behind').toEqual([]);
      for (const p of SERVED_PATHS) {
        const res = await fetch(api.baseUrl + p, { signal: AbortSignal.timeout(5_000) });
        const body = await res.text();
        expect(res.status, `${p} after the rejected publish`).toBe(200);
        expect(matchDataset(p, body, { good: snapshot }), `${p} still serves the last good publish`).toBe('good');
      }
    } finally {
      await removeDir(dir);
    }
  });
});
