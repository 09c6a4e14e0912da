// Local gold folders for publisher runs, built in temp dirs from the DuckDB-written fixtures:
// the fixture set itself (dataset A), a second valid but different set (dataset B), and copies with
// one table replaced by a broken file. Variants are written with @duckdb/node-api.
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURE_PANDAS } from './paths.js';

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `gold-rel-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Copies the Pandas-layout fixture gold (single `<table>.parquet` files) into `dest`. */
export async function copyFixtureGold(dest: string): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  const names = (await readdir(FIXTURE_PANDAS)).filter((n) => n.endsWith('.parquet'));
  for (const name of names) await copyFile(path.join(FIXTURE_PANDAS, name), path.join(dest, name));
  return names;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

async function withDuck<R>(fn: (run: (sql: string) => Promise<void>, rows: (sql: string) => Promise<unknown[][]>) => Promise<R>): Promise<R> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(
      async (sql) => {
        await connection.run(sql);
      },
      async (sql) => (await connection.runAndReadAll(sql)).getRows() as unknown[][],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface VariantFacts {
  readonly factRows: number;
}

/**
 * Dataset B: the fixture gold with a third of the purchases removed, monthly revenue doubled and
 * expected values doubled — still valid per GOLD_SPEC §2, but different on every endpoint we read.
 */
export async function makeVariantGold(dest: string): Promise<VariantFacts> {
  await copyFixtureGold(dest);
  return withDuck(async (run, rows) => {
    const src = (t: string) => sqlString(path.join(FIXTURE_PANDAS, `${t}.parquet`));
    const out = (t: string) => sqlString(path.join(dest, `${t}.parquet`));
    await run(`COPY (SELECT * FROM read_parquet(${src('fact_achats')}) WHERE id_achat % 3 <> 0) TO ${out('fact_achats')} (FORMAT parquet)`);
    await run(`COPY (SELECT * REPLACE (ca * 2 AS ca) FROM read_parquet(${src('ca_monthly')})) TO ${out('ca_monthly')} (FORMAT parquet)`);
    await run(
      `COPY (SELECT * REPLACE (expected_value_12m * 2 AS expected_value_12m) FROM read_parquet(${src('client_scores')})) TO ${out('client_scores')} (FORMAT parquet)`,
    );
    const count = await rows(`SELECT count(*) FROM read_parquet(${out('fact_achats')})`);
    return { factRows: Number(count[0]?.[0]) };
  });
}

/** fact_achats without its required `montant` column (renamed `amount`). */
export async function writeWrongSchemaFact(file: string): Promise<void> {
  await withDuck(async (run) => {
    const src = sqlString(path.join(FIXTURE_PANDAS, 'fact_achats.parquet'));
    await run(`COPY (SELECT * EXCLUDE (montant), montant AS amount FROM read_parquet(${src})) TO ${sqlString(file)} (FORMAT parquet)`);
  });
}

/** The fixture fact_achats as ONE row group, written by DuckDB (input for the forged-footer variant). */
export async function writeSingleRowGroupFact(file: string): Promise<void> {
  await withDuck(async (run) => {
    const src = sqlString(path.join(FIXTURE_PANDAS, 'fact_achats.parquet'));
    await run(`COPY (SELECT * FROM read_parquet(${src})) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000000)`);
  });
}

export async function writeBytes(file: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(file, bytes);
}

/** Row count of a Parquet file, read by DuckDB (independent of the publisher's reader). */
export async function countParquetRows(file: string): Promise<number> {
  return withDuck(async (_run, rows) => Number((await rows(`SELECT count(*) FROM read_parquet(${sqlString(file)})`))[0]?.[0]));
}
