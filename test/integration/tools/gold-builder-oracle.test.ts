// The gold builder against an independent DuckDB SQL oracle of GOLD_SPEC §4: on the shared
// seed data, and on generated data with dirty rows, duplicates and clients without purchases.
// Same rows, same segment for every client, numbers within 1e-9 relative, and the column
// names/types a pandas pipeline writes.
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TABLES, type ColumnType } from '../../../src/catalog/gold-catalog.js';
import { writeSources } from '../../../tools/generator/cli.js';
import { DEFAULT_END_MS } from '../../../tools/generator/generate.js';
import { buildGold, type BuildGoldReport } from '../../../tools/gold-builder/build-gold.js';
import { buildOracle } from './gold-oracle.js';
import { sharedPath } from '../../support/paths.js';
import { diffTables, readNormalized } from './duckdb-compare.js';

const seed = sharedPath('the gold-builder seed comparison', 'data', 'seed');
const SEED = seed.path;
const seedExists = seed.present && existsSync(join(SEED, 'achats.csv')) && existsSync(join(SEED, 'clients.csv'));

/** DuckDB type a pandas/pyarrow writer produces for a catalog column type. */
function expectedDuckType(table: string, column: string, type: ColumnType): string {
  if (table === 'fact_achats' && column === 'annee') return 'INTEGER'; // pandas dt.year is int32
  if (type === 'int') return 'BIGINT';
  if (type === 'double') return 'DOUBLE';
  if (type === 'date') return 'TIMESTAMP_NS';
  return 'VARCHAR';
}

/** Tables whose row order is part of the contract, with their order key. */
const ORDERED: Readonly<Record<string, string>> = {
  ca_monthly: 'mois',
  cohort_first_purchase: 'first_purchase_month',
  ca_country: 'pays',
  ca_product: 'produit',
  segment_summary: 'segment_label',
};

interface Comparison {
  report: BuildGoldReport;
  conn: DuckDBConnection;
  outDir: string;
}

/** Builds gold from `sourcesDir` and the oracle next to it; checks every table against it. */
function compareWithOracle(label: string, sources: () => Promise<string>, extra: (c: () => Comparison) => void, parallelFromRows?: number): void {
  describe(label, () => {
    let work = '';
    let instance: DuckDBInstance;
    let ctx: Comparison;
    const nowMs = Date.now();

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'gold-oracle-'));
      const sourcesDir = await sources();
      const outDir = join(work, 'gold');
      const report = await buildGold({ sourcesDir, outDir, nowMs, ...(parallelFromRows === undefined ? {} : { parallelFromRows }) });
      instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      await buildOracle(conn, sourcesDir, new Date(nowMs).toISOString());
      ctx = { report, conn, outDir };
    });

    afterAll(async () => {
      ctx?.conn.closeSync();
      instance?.closeSync();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test.each(TABLES.map((t) => t.parquet as string))('%s has the catalog columns with pandas types and equals the oracle', async (name) => {
      const spec = TABLES.find((t) => t.parquet === name);
      const built = await readNormalized(ctx.conn, `'${join(ctx.outDir, `${name}.parquet`)}'`);
      const oracle = await readNormalized(ctx.conn, `o_${name}`);
      expect(built.columns).toEqual(spec?.columns.map((c) => c.name));
      expect(built.types).toEqual(spec?.columns.map((c) => expectedDuckType(name, c.name, c.type)));
      expect(oracle.columns).toEqual(built.columns);
      expect(built.rows.length).toBeGreaterThan(0);
      expect(diffTables(built, oracle, spec?.uniqueKey ?? [])).toEqual([]);
      const orderKey = ORDERED[name];
      if (orderKey) {
        const keyAt = (t: typeof built) => t.rows.map((r) => r[t.columns.indexOf(orderKey)]);
        expect(keyAt(built)).toEqual(keyAt(oracle));
      }
    });

    test('fact_achats is sorted by date_achat', async () => {
      const fact = await readNormalized(ctx.conn, `'${join(ctx.outDir, 'fact_achats.parquet')}'`);
      const dates = fact.rows.map((r) => r[fact.columns.indexOf('date_achat')] as number);
      expect(dates.every((d, i) => i === 0 || (dates[i - 1] as number) <= d)).toBe(true);
    });

    test('every client gets the oracle segment', async () => {
      const result = await ctx.conn.runAndReadAll(
        `SELECT o.segment_label AS expected, b.segment_label AS built, count(*) AS n
         FROM o_client_scores o FULL JOIN '${join(ctx.outDir, 'client_scores.parquet')}' b USING (id_client)
         GROUP BY ALL ORDER BY ALL`,
      );
      const rows = result.getRowObjectsJS() as Array<{ expected: string | null; built: string | null; n: bigint }>;
      expect(rows.filter((r) => r.expected !== r.built)).toEqual([]);
      expect(rows.reduce((n, r) => n + Number(r.n), 0)).toBe(ctx.report.quality[0]?.kept);
    });

    extra(() => ctx);
  });
}

describe.skipIf(!seedExists)('on the seed data', () => {
  compareWithOracle('gold builder vs DuckDB oracle', async () => SEED, (ctx) => {
    test('every seed row survives cleaning and ref is the latest purchase (GOLD_SPEC §4)', () => {
      expect(ctx().report.quality.map((q) => [q.input, q.read, q.kept])).toEqual([
        ['clients', 1500, 1500],
        ['achats', 23663, 23663],
      ]);
      expect(ctx().report.referenceDate).toBe('2026-01-20T10:39:43.000Z');
    });
  });
});

// Rows appended to generated sources: each breaks one cleaning rule, or adds a duplicate, a
// client without purchases, or text that needs trimming/title-casing.
const DIRTY_CLIENTS = [
  '9001,Dup First,dup1@example.com,2024-01-01,France',
  '9001,Dup Second,dup2@example.com,2024-01-02,Spain',
  '9002, Never Bought ,NEVER@Example.COM,2023-03-03,  north-rhine ',
  '9003,Apostrophe,o@example.com,2024-05-05,côte d\'ivoire',
  'x9,Bad Id,bad@example.com,2024-01-01,France',
  '9004,,noname@example.com,2024-01-01,France',
  '9005,No Mail,,2024-01-01,France',
  '9006,No Country,nc@example.com,2024-01-01,',
  '9007,Bad Date,bd@example.com,2024-02-30,France',
  '9008,Old,old@example.com,1999-12-31,France',
  '9009,Future,fut@example.com,2999-01-01,France',
  '9010,No At,noat.example.com,2024-01-01,France',
  '"9011","Quoted, Name","q@example.com","2024-01-01","UK"',
];
const DIRTY_ACHATS = [
  '900001,9001,2025-06-01 10:00:00,12.5, 3d printer ',
  '900002,9003,2025-03-03 03:03:03,99.99,UK plug',
  '900003,9001,2025-06-02 10:00:00,20,first version',
  '900003,9001,2025-06-03 10:00:00,30,last version',
  'bad,9001,2025-06-01 10:00:00,10,Mouse',
  '900004,nope,2025-06-01 10:00:00,10,Mouse',
  '900005,9001,2025-06-01 10:00:00,ten,Mouse',
  '900006,9001,,10,Mouse',
  '900007,9001,2025-06-01 10:00:00,10,',
  '900008,9001,2025-02-29 10:00:00,10,Mouse',
  '900009,9001,1999-06-01 10:00:00,10,Mouse',
  '900010,9001,2025-06-01 10:00:00,0,Mouse',
  '900011,9001,2025-06-01 10:00:00,-5,Mouse',
  '900012,9001,2025-06-01 10:00:00,10000.5,Mouse',
  '900013,424242,2025-06-01 10:00:00,10,Mouse',
  '900014,9010,2025-06-01 10:00:00,10,Mouse',
  '900015,9011,2025-06-01 10:00:00,10000,Mouse',
];

compareWithOracle(
  'on generated data with dirty rows, duplicates and clients without purchases',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gold-dirty-'));
    await writeSources(dir, { clients: 300, purchasesPerClient: 4, seed: 99, endMs: DEFAULT_END_MS });
    await appendFile(join(dir, 'clients.csv'), `${DIRTY_CLIENTS.join('\n')}\n`);
    await appendFile(join(dir, 'achats.csv'), `${DIRTY_ACHATS.join('\n')}\n`);
    return dir;
  },
  (ctx) => {
    test('the cleaning dropped exactly the dirty rows', () => {
      expect(ctx().report.quality.map((q) => [q.input, q.read - q.kept])).toEqual([
        ['clients', 9],
        ['achats', 13],
      ]);
    });

    test('fact_achats was encoded on the worker thread (the path large inputs take)', () => {
      expect(ctx().report.factEncodedOn).toBe('worker');
    });
  },
  0, // force the worker path, so the oracle checks its output too
);
