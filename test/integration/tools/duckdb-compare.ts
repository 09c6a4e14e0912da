// Reads any table DuckDB can see (an oracle table or a Parquet file) into plain values for
// comparison: numbers and timestamps as doubles (timestamps in epoch ms), strings as strings.
import type { DuckDBConnection } from '@duckdb/node-api';

export interface NormalizedTable {
  readonly columns: readonly string[];
  /** DuckDB type names, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP_NS. */
  readonly types: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<number | string | null>>;
}

export async function readNormalized(conn: DuckDBConnection, from: string): Promise<NormalizedTable> {
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  const info = described.getRowObjectsJS() as Array<{ column_name: string; column_type: string }>;
  const projection = info.map(({ column_name: name, column_type: type }) => {
    const q = `"${name}"`;
    if (type.startsWith('TIMESTAMP') || type === 'DATE') return `CAST(epoch_ms(${q}) AS DOUBLE) AS ${q}`;
    if (type === 'VARCHAR') return q;
    return `CAST(${q} AS DOUBLE) AS ${q}`;
  });
  const result = await conn.runAndReadAll(`SELECT ${projection.join(', ')} FROM ${from}`);
  return {
    columns: info.map((i) => i.column_name),
    types: info.map((i) => i.column_type),
    rows: result.getRowsJS() as Array<Array<number | string | null>>,
  };
}

export function closeEnough(a: number | string | null, b: number | string | null, relative = 1e-9): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  }
  return a === b;
}

/**
 * Differences between two tables keyed by `key` (column names): a list of human-readable
 * mismatches, empty when every row matches (numbers within `relative`).
 */
export function diffTables(actual: NormalizedTable, expected: NormalizedTable, key: readonly string[], relative = 1e-9): string[] {
  const problems: string[] = [];
  const keyOf = (t: NormalizedTable, row: ReadonlyArray<unknown>): string =>
    key.map((k) => String(row[t.columns.indexOf(k)])).join('|');
  const expectedByKey = new Map(expected.rows.map((r) => [keyOf(expected, r), r]));
  if (actual.rows.length !== expected.rows.length) problems.push(`row count ${actual.rows.length} ≠ expected ${expected.rows.length}`);
  for (const row of actual.rows) {
    const k = keyOf(actual, row);
    const want = expectedByKey.get(k);
    if (!want) {
      problems.push(`unexpected row ${k}`);
      continue;
    }
    expectedByKey.delete(k);
    expected.columns.forEach((col, j) => {
      const got = row[actual.columns.indexOf(col)] ?? null;
      const exp = want[j] ?? null;
      if (!closeEnough(got, exp, relative)) problems.push(`${k}.${col}: ${String(got)} ≠ expected ${String(exp)}`);
    });
  }
  for (const k of expectedByKey.keys()) problems.push(`missing row ${k}`);
  return problems.slice(0, 20);
}
