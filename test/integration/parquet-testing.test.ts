// Compatibility of the Parquet-reading edge with apache/parquet-testing (../shared/data/parquet-testing):
// every data/ file decodes to the values DuckDB reads from the same file (an independent oracle),
// and every bad_data/ file ends in a clean PARQUET_INVALID AppError — no crash, hang or blow-up.
// Exceptions are listed below with the reason; each is still asserted, not skipped.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainValues, readParquetBatches } from '../../publisher/parquet/index.js';
import { localParquetFile } from '../../publisher/sources/local-file.js';
import { sharedPath } from '../support/paths.js';

const WHAT = 'the parquet-testing compatibility tests';
const corpus = sharedPath(WHAT, 'data', 'parquet-testing');
const CORPUS = corpus.path;
const present = corpus.present && existsSync(path.join(CORPUS, 'data')) && existsSync(path.join(CORPUS, 'bad_data'));
// A corpus folder without its data/ or bad_data/ skips too, and says so (it used to skip silently).
if (corpus.present && !present) console.warn(`[skip] ${WHAT}: ${CORPUS} lacks data/ or bad_data/`);

const list = (dir: string) => (present ? readdirSync(path.join(CORPUS, dir)).filter((f) => f.endsWith('.parquet')).sort() : []);

/**
 * data/ files that hyparquet (hence we) refuse, though DuckDB reads them leniently.
 * nation.dict-malformed: its dictionary page header declares more values than the page holds
 * (the file exists to check that readers reject it; Arrow C++ does). We fail cleanly.
 */
const DATA_REJECTED: Record<string, string> = {
  'nation.dict-malformed.parquet': 'malformed dictionary page',
};
/**
 * bad_data/ files that are decodable: ARROW-GH-43605 uses RLE dictionary indices with bit width 0,
 * which means "every index is 0"; Arrow (after the fix for GH-43605), DataFusion and DuckDB read
 * it as 21,186 zeros, and so do we. It is compared with DuckDB like a data/ file.
 */
const BAD_BUT_READABLE = new Set(['ARROW-GH-43605.parquet']);
/**
 * DuckDB does not support Hadoop-framed LZ4: those two files hold the same 4 rows as
 * lz4_raw_compressed.parquet (Arrow C++'s reader tests check all three against one table),
 * so DuckDB's reading of that file is the oracle.
 */
const ORACLE_FILE: Record<string, string> = {
  'hadoop_lz4_compressed.parquet': 'lz4_raw_compressed.parquet',
  'non_hadoop_lz4_compressed.parquet': 'lz4_raw_compressed.parquet',
};
/**
 * int96_from_spark.parquet's last value was written by Spark for year 290000, beyond what a
 * 64-bit count from the Julian epoch holds: the stored (Julian day, nanos) pair is already
 * wrapped. We decode the pair exactly as stored (Julian day 213503 → year -4128); DuckDB goes
 * through int64 microseconds and wraps a second time (year -226413). Neither is the year 290000
 * (which a JS Date cannot hold anyway); the other five values must agree.
 */
const INT96_WRAPPED_ROW = { file: 'int96_from_spark.parquet', row: 5 };

// Corrupt-checksum files (datapage_v1-corrupt-checksum, rle-dict-uncompressed-corrupt-checksum):
// hyparquet does not verify page CRCs, so the pages decode to the bytes that are there — the same
// values DuckDB (which does not verify them either) returns. A CRC mismatch is not detected.

/** Our decoded values in comparable form: Date → ISO string, bigint kept, nested bigint → number. */
function canon(value: unknown, nested = false): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return nested ? Number(value) : value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => canon(v, true));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v, true)]));
  return value;
}

async function readOurs(file: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const batch of readParquetBatches(await localParquetFile(file), { maxRows: 1000 })) {
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, unknown> = {};
      for (const [name, values] of batch.columns) row[name] = canon(plainValues(values)[i]);
      rows.push(row);
    }
  }
  return rows;
}

/** DuckDB's reading of the same file, projected to the same comparable form. */
async function readDuck(db: DuckDBConnection, file: string): Promise<Array<Record<string, unknown>>> {
  const source = `read_parquet('${file}', binary_as_string = true)`;
  const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson();
  const kinds = new Map<string, string>();
  const select = described.map((r) => {
    const name = String(r.column_name);
    const type = String(r.column_type);
    const col = `"${name.replace(/"/g, '""')}"`;
    let kind = 'plain';
    let expr = col;
    if (type.startsWith('TIMESTAMP')) expr = `strftime(CAST(${col} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    else if (type === 'DATE') expr = `strftime(${col}, '%Y-%m-%dT00:00:00.000Z')`;
    else if (['BIGINT', 'UBIGINT', 'HUGEINT'].includes(type)) [kind, expr] = ['bigint', `CAST(${col} AS VARCHAR)`];
    else if (type.startsWith('DECIMAL')) expr = `CAST(${col} AS DOUBLE)`;
    else if (type.endsWith('[]') || type.startsWith('STRUCT') || type.startsWith('MAP')) [kind, expr] = ['json', `CAST(to_json(${col}) AS VARCHAR)`];
    kinds.set(name, kind);
    return `${expr} AS ${col}`;
  });
  const rows = (await db.runAndReadAll(`SELECT ${select.join(', ')} FROM ${source}`)).getRowObjectsJson();
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => {
        if (value === null) return [name, null];
        const kind = kinds.get(name);
        if (kind === 'bigint') return [name, BigInt(String(value))];
        if (kind === 'json') return [name, JSON.parse(String(value)) as unknown];
        return [name, value];
      }),
    ),
  );
}

describe.skipIf(!present)('parquet-testing compatibility', () => {
  let db: DuckDBConnection;
  beforeAll(async () => {
    db = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  });
  afterAll(() => db?.closeSync());

  const readable = [...list('data').filter((f) => !(f in DATA_REJECTED)).map((f) => ['data', f]), ...[...BAD_BUT_READABLE].map((f) => ['bad_data', f])];

  it.each(readable)('%s/%s decodes to the values DuckDB reads', { timeout: 30_000 }, async (dir, name) => {
    const file = path.join(CORPUS, dir, name);
    const ours = await readOurs(file);
    const duck = await readDuck(db, path.join(CORPUS, dir, ORACLE_FILE[name] ?? name));
    expect(ours.length).toBeGreaterThan(0);
    if (name === INT96_WRAPPED_ROW.file) {
      const [ourRow] = ours.splice(INT96_WRAPPED_ROW.row, 1);
      duck.splice(INT96_WRAPPED_ROW.row, 1);
      expect(ourRow).toEqual({ a: '-004128-06-12T14:32:44.157Z' });
    }
    expect(ours).toEqual(duck);
  });

  const rejected = [...Object.keys(DATA_REJECTED).map((f) => ['data', f]), ...list('bad_data').filter((f) => !BAD_BUT_READABLE.has(f)).map((f) => ['bad_data', f])];

  it.each(rejected)('%s/%s is refused with PARQUET_INVALID naming the file', { timeout: 30_000 }, async (dir, name) => {
    const file = path.join(CORPUS, dir, name);
    const before = process.memoryUsage().rss;
    await expect(readOurs(file)).rejects.toMatchObject({ code: 'PARQUET_INVALID', status: 422, message: expect.stringContaining(file) });
    // A malicious size field must not make us allocate wildly: well under 256 MB for a < 100 KB file.
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });
});
