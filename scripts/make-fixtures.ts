// `npm run fixtures`: regenerates test/fixtures/gold/ — a small, realistic, mutually consistent
// gold set for the 9 catalog tables, written by DuckDB (a tool other than ours) in the Pandas and
// Spark layouts, plus the expected rows as JSON, read back by DuckDB (never by our reader).
// Deterministic: fixed seed, one DuckDB thread, so every run writes the same values (and, with
// the same DuckDB version, the same bytes).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES } from '../src/catalog/gold-catalog.js';
import { buildRawData, SEED } from './make-fixtures/raw-data.js';
import { GOLD_SQL } from './make-fixtures/gold-sql.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'test', 'fixtures', 'gold');
/** Spark part files per table (others get one part). */
const SPARK_PARTS: Record<string, number> = { fact_achats: 3, dim_clients: 2, client_features: 2, client_scores: 2 };
/** Rows per row group in the Spark layout: small, so part files hold several row groups. */
const ROW_GROUP_ROWS: Record<string, number> = { fact_achats: 48 };
const DEFAULT_ROW_GROUP_ROWS = 8;

/** Column SQL types per layout; anything not listed keeps its gold type (VARCHAR, DOUBLE, BIGINT). */
const PANDAS_TYPES: Record<string, Record<string, string>> = {
  // pyarrow writes pandas datetime64[ns] as TIMESTAMP(NANOS) ...
  fact_achats: { date_achat: 'TIMESTAMP_NS' },
  // ... and int columns holding NaN become float64.
  dim_clients: { total_orders: 'DOUBLE', product_count: 'DOUBLE' },
};
const SPARK_TYPES: Record<string, Record<string, string>> = {
  fact_achats: { jour: 'DATE', annee: 'INTEGER' },
};
/** Spark timestamps: DuckDB cannot write INT96, so the Spark layout uses TIMESTAMP(MILLIS). */
const SPARK_TIMESTAMP = 'TIMESTAMP_MS';

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function columnTypes(db: DuckDBConnection, table: string): Promise<Map<string, string>> {
  const reader = await db.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`);
  return new Map(reader.getRowObjectsJson().map((r) => [String(r.column_name), String(r.data_type)]));
}

/** SELECT list casting each column to its layout type. */
function castList(types: Map<string, string>, overrides: Record<string, string>, timestamp: string | null): string {
  return [...types.entries()]
    .map(([name, type]) => {
      const target = overrides[name] ?? (timestamp && type.startsWith('TIMESTAMP') ? timestamp : null);
      return target ? `CAST("${name}" AS ${target}) AS "${name}"` : `"${name}"`;
    })
    .join(', ');
}

/** A query whose rows reach the writer in chunks of `size`: DuckDB cuts row groups at chunk boundaries only. */
function chunkedQuery(table: string, select: string, key: string, from: number, to: number, size: number): string {
  const parts: string[] = [];
  for (let start = from; start < to; start += size) {
    const end = Math.min(start + size, to);
    parts.push(`SELECT * FROM (SELECT ${select} FROM (SELECT *, row_number() OVER (ORDER BY "${key}") - 1 AS __rn FROM ${table}) WHERE __rn >= ${start} AND __rn < ${end} ORDER BY __rn)`);
  }
  return parts.join(' UNION ALL ');
}

async function count(db: DuckDBConnection, table: string): Promise<number> {
  const reader = await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
  return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
}

async function writeLayouts(db: DuckDBConnection, table: string, key: string, rand: () => number): Promise<void> {
  const types = await columnTypes(db, table);
  const rows = await count(db, table);
  const pandasFile = path.join(OUT, 'pandas', `${table}.parquet`);
  const pandasSelect = castList(types, PANDAS_TYPES[table] ?? {}, null);
  await db.run(`COPY (SELECT ${pandasSelect} FROM ${table} ORDER BY "${key}") TO '${pandasFile}' (FORMAT parquet, COMPRESSION snappy)`);

  const folder = path.join(OUT, 'spark', `${table}.parquet`);
  await mkdir(folder, { recursive: true });
  const sparkSelect = castList(types, SPARK_TYPES[table] ?? {}, SPARK_TIMESTAMP);
  const parts = SPARK_PARTS[table] ?? 1;
  const jobId = uuidFrom(rand);
  const groupRows = ROW_GROUP_ROWS[table] ?? DEFAULT_ROW_GROUP_ROWS;
  const perPart = Math.ceil(rows / parts);
  for (let p = 0; p < parts; p++) {
    const name = `part-${String(p).padStart(5, '0')}-${jobId}-c000.snappy.parquet`;
    const from = p * perPart;
    const to = Math.min(rows, from + perPart);
    await db.run(`COPY (${chunkedQuery(table, sparkSelect, key, from, to, groupRows)}) TO '${path.join(folder, name)}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${groupRows})`);
    // Hadoop's checksum side file: to be ignored by discovery. Content is a stand-in header.
    await writeFile(path.join(folder, `.${name}.crc`), Buffer.from([0x63, 0x72, 0x63, 0x00, 0x00, 0x00, 0x02, 0x00]));
  }
  await writeFile(path.join(folder, '_SUCCESS'), '');
}

/** Rows as plain JSON via DuckDB: times as ISO strings with milliseconds, DATE as 'YYYY-MM-DD', integers as numbers. */
async function readBackJson(db: DuckDBConnection, source: string, key: string): Promise<Array<Record<string, unknown>>> {
  const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const select = described
    .getRowObjectsJson()
    .map((r) => {
      const name = String(r.column_name);
      const type = String(r.column_type);
      if (type.startsWith('TIMESTAMP')) return `strftime(CAST("${name}" AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ') AS "${name}"`;
      if (type === 'DATE') return `strftime("${name}", '%Y-%m-%d') AS "${name}"`;
      if (type === 'BIGINT' || type === 'INTEGER') return `CAST("${name}" AS INTEGER) AS "${name}"`;
      return `"${name}"`;
    })
    .join(', ');
  const reader = await db.runAndReadAll(`SELECT ${select} FROM ${source} ORDER BY "${key}"`);
  return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
}

async function main(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(path.join(OUT, 'pandas'), { recursive: true });
  await mkdir(path.join(OUT, 'expected'), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db = await instance.connect();
  const raw = buildRawData();
  await db.run('CREATE TABLE raw_clients (id_client BIGINT, nom VARCHAR, email VARCHAR, date_inscription TIMESTAMP, pays VARCHAR)');
  await db.run('CREATE TABLE raw_achats (id_achat BIGINT, id_client BIGINT, date_achat TIMESTAMP, montant DOUBLE, produit VARCHAR)');
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await db.run(`INSERT INTO raw_clients VALUES ${raw.clients.map((c) => `(${c.id}, ${q(c.nom)}, ${q(c.email)}, TIMESTAMP ${q(c.inscription)}, ${q(c.pays)})`).join(', ')}`);
  await db.run(`INSERT INTO raw_achats VALUES ${raw.achats.map((a) => `(${a.id}, ${a.client}, TIMESTAMP ${q(a.date)}, ${a.montant}, ${q(a.produit)})`).join(', ')}`);
  for (const statement of GOLD_SQL) await db.run(statement);

  const segments = (await db.runAndReadAll('SELECT DISTINCT segment_label FROM client_scores ORDER BY 1')).getRowObjectsJson().map((r) => String(r.segment_label));
  if (segments.length !== 5) throw new Error(`fixtures: only segments ${segments.join(', ')} present; change the raw data so all 5 appear`);

  let seed = SEED ^ 0x5bd1e995;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const spec of TABLES) {
    const table = spec.parquet ?? spec.name;
    const key = spec.uniqueKey[0] ?? spec.columns[0]?.name ?? '';
    const expectedColumns = spec.columns.map((c) => c.name);
    const actualColumns = [...(await columnTypes(db, table)).keys()];
    if (expectedColumns.join(',') !== actualColumns.join(',')) throw new Error(`fixtures: ${table} has columns ${actualColumns.join(',')}, the catalog says ${expectedColumns.join(',')}`);
    await writeLayouts(db, table, key, rand);
    const fromPandas = await readBackJson(db, `read_parquet('${path.join(OUT, 'pandas', `${table}.parquet`)}')`, key);
    const fromSpark = await readBackJson(db, `read_parquet('${path.join(OUT, 'spark', `${table}.parquet`, 'part-*.parquet')}')`, key);
    if (JSON.stringify(fromPandas) !== JSON.stringify(fromSpark)) throw new Error(`fixtures: ${table} differs between the Pandas and Spark layouts`);
    // One row per line: small, and diffs stay readable.
    await writeFile(path.join(OUT, 'expected', `${table}.json`), `[\n${fromPandas.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    console.log(`${table}: ${fromPandas.length} rows`);
  }
  console.log(`segments: ${segments.join(', ')}; written to ${path.relative(ROOT, OUT)}`);
}

await main();
