// Reads a discovered table through readParquetBatches and turns the rows into the plain JSON of
// test/fixtures/gold/expected/: bigint → number, Date → ISO string, DATE columns → 'YYYY-MM-DD'.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { plainValues, readParquetBatches, readParquetSchema } from '../../../publisher/parquet/index.js';
import type { TableSource } from '../../../publisher/sources/types.js';

import { FIXTURE_GOLD as FIXTURES, REPO_ROOT } from '../../support/paths.js';

export { FIXTURES, REPO_ROOT };

export async function expectedRows(table: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(await readFile(path.join(FIXTURES, 'expected', `${table}.json`), 'utf8')) as Array<Record<string, unknown>>;
}

function plain(value: unknown, isDate: boolean): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  return value;
}

export async function readTableRows(source: TableSource): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const file of source.files) {
    const schema = await readParquetSchema(file);
    const dateColumns = new Set(schema.columns.filter((c) => c.logicalType === 'DATE' || c.convertedType === 'DATE').map((c) => c.name));
    for await (const batch of readParquetBatches(file, { maxRows: 7 })) {
      for (let i = 0; i < batch.numRows; i++) {
        const row: Record<string, unknown> = {};
        for (const [name, values] of batch.columns) row[name] = plain(plainValues(values)[i], dateColumns.has(name));
        rows.push(row);
      }
    }
  }
  return rows;
}
