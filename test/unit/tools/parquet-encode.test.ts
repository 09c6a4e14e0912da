// In-memory round trip: encode a gold table, read it back with hyparquet (the publisher's reader).
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, test } from 'vitest';
import { num, str, type GoldTable } from '../../../tools/gold-builder/gold-table.js';
import { encodeParquet } from '../../../tools/gold-builder/parquet-encode.js';

const table: GoldTable = {
  name: 'sample',
  rows: 2,
  columns: [
    num('id', 'int64', Float64Array.from([1, 9_007_199_254_740_991])),
    num('count', 'int64', Float64Array.from([3, Number.NaN])),
    num('annee', 'int32', Float64Array.from([2025, 2026])),
    num('amount', 'double', Float64Array.from([10.5, Number.NaN])),
    num('when', 'timestamp', Float64Array.from([Date.UTC(2026, 0, 20, 10, 39, 43), Number.NaN])),
    str('label', ['VIP', null]),
  ],
};

describe('encodeParquet', () => {
  test('writes pandas-like physical and logical types', () => {
    const meta = parquetMetadata(encodeParquet(table));
    const leaves = meta.schema.slice(1).map((e) => [e.name, e.type, e.logical_type ?? e.converted_type ?? null, e.repetition_type]);
    expect(leaves).toEqual([
      ['id', 'INT64', null, 'OPTIONAL'],
      ['count', 'INT64', null, 'OPTIONAL'],
      ['annee', 'INT32', null, 'OPTIONAL'],
      ['amount', 'DOUBLE', null, 'OPTIONAL'],
      ['when', 'INT64', { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' }, 'OPTIONAL'],
      ['label', 'BYTE_ARRAY', { type: 'STRING' }, 'OPTIONAL'],
    ]);
    expect(Number(meta.num_rows)).toBe(2);
  });

  test('values and nulls survive a read with hyparquet', async () => {
    const rows = await parquetReadObjects({ file: encodeParquet(table, 'UNCOMPRESSED') });
    expect(rows).toEqual([
      { id: 1n, count: 3n, annee: 2025, amount: 10.5, when: new Date(Date.UTC(2026, 0, 20, 10, 39, 43)), label: 'VIP' },
      { id: 9_007_199_254_740_991n, count: null, annee: 2026, amount: null, when: null, label: null },
    ]);
  });
});
