// GoldTable → Parquet bytes, typed the way a pandas/pyarrow pipeline writes them: INT64 ids and
// counts, INT32 years, DOUBLE amounts, UTF8 strings and naive TIMESTAMP(NANOS); every column
// OPTIONAL (pyarrow's default), nulls where the table holds NaN/null.
import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import type { GoldColumn, GoldTable } from './gold-table.js';

export type ParquetCodec = 'SNAPPY' | 'UNCOMPRESSED';

const NANOS_PER_MS = 1_000_000n;

function schemaElement(column: GoldColumn): SchemaElement {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const };
  switch (column.type) {
    case 'int64':
      return { ...base, type: 'INT64' };
    case 'int32':
      return { ...base, type: 'INT32' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'string':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'timestamp':
      return { ...base, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' } };
  }
}

function hasNull(values: Float64Array): boolean {
  for (const v of values) if (Number.isNaN(v)) return true;
  return false;
}

/**
 * Values in the form hyparquet-writer expects for the column's physical type. INT64 values go
 * in a plain array of bigints: the writer reads each value several times (range check,
 * statistics, encoding), and a BigInt64Array would allocate a fresh bigint on every read.
 */
function columnValues(column: GoldColumn): ColumnSource['data'] {
  if (column.type === 'string') return column.values as (string | null)[];
  const values = column.values;
  if (column.type === 'double') return hasNull(values) ? Array.from(values, (v) => (Number.isNaN(v) ? null : v)) : values;
  if (column.type === 'int32') return hasNull(values) ? Array.from(values, (v) => (Number.isNaN(v) ? null : v)) : Int32Array.from(values);
  const scale = column.type === 'timestamp' ? NANOS_PER_MS : 1n;
  const out = new Array<bigint | null>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] as number;
    out[i] = Number.isNaN(v) ? null : BigInt(v) * scale;
  }
  return out;
}

export function encodeParquet(table: GoldTable, codec: ParquetCodec = 'SNAPPY'): ArrayBuffer {
  const schema: SchemaElement[] = [{ name: 'schema', num_children: table.columns.length }, ...table.columns.map(schemaElement)];
  return parquetWriteBuffer({
    columnData: table.columns.map((c) => ({ name: c.name, data: columnValues(c) })),
    schema,
    codec,
    // One row group per 1M rows: fewer, larger pages are both faster to write and to read.
    rowGroupSize: 1_000_000,
    createdBy: 'gold-serving gold-builder',
  });
}
