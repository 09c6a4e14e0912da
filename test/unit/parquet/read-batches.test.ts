import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readParquetBatches, readParquetSchema } from '../../../publisher/parquet/index.js';
import type { ParquetBatch } from '../../../publisher/parquet/index.js';
import { memoryFile } from './memory-file.js';

async function collect(iterable: AsyncIterable<ParquetBatch>): Promise<ParquetBatch[]> {
  const out: ParquetBatch[] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

const N = 1000;
const ids = BigInt64Array.from({ length: N }, (_, i) => BigInt(i + 1));
const amounts = Float64Array.from({ length: N }, (_, i) => i * 1.25);
const labels = Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : `p${i % 5}`));
const times = Array.from({ length: N }, (_, i) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000));

const fileBytes = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'INT64', nullable: false },
      { name: 'amount', data: amounts, type: 'DOUBLE', nullable: false },
      { name: 'label', data: labels, type: 'STRING' },
      { name: 'at', data: times, type: 'TIMESTAMP' },
    ],
    rowGroupSize: 300,
  }),
);
const file = memoryFile(fileBytes);

describe('readParquetSchema', () => {
  it('reports row count, row groups and each column with its types and nullability', async () => {
    const schema = await readParquetSchema(file);
    expect(schema.numRows).toBe(N);
    expect(schema.rowGroups).toBe(4);
    expect(schema.columns.map((c) => c.name)).toEqual(['id', 'amount', 'label', 'at']);
    expect(schema.columns[0]).toMatchObject({ physicalType: 'INT64', nullable: false });
    expect(schema.columns[2]).toMatchObject({ physicalType: 'BYTE_ARRAY', nullable: true });
    expect(schema.columns[3]).toMatchObject({ physicalType: 'INT64', convertedType: 'TIMESTAMP_MILLIS' });
  });
});

describe('readParquetBatches', () => {
  it('yields every row once, in order, with each batch inside one row group and at most maxRows long', async () => {
    const batches = await collect(readParquetBatches(file, { maxRows: 128 }));
    expect(batches.every((b) => b.numRows <= 128 && b.numRows > 0)).toBe(true);
    // Row groups are 300 rows: batches never straddle 300, 600, 900.
    for (const b of batches) expect(Math.floor(b.rowOffset / 300)).toBe(Math.floor((b.rowOffset + b.numRows - 1) / 300));
    let next = 0;
    const seen: bigint[] = [];
    for (const b of batches) {
      expect(b.rowOffset).toBe(next);
      next += b.numRows;
      const col = b.columns.get('id') as ArrayLike<bigint>;
      expect(col.length).toBe(b.numRows);
      seen.push(...Array.from(col));
    }
    expect(seen).toEqual(Array.from(ids));
  });

  it('decodes INT64 as bigint, DOUBLE as number, strings with null for missing values, timestamps as Date', async () => {
    const [first] = await collect(readParquetBatches(file, { maxRows: 10 }));
    expect(first).toBeDefined();
    const cols = first!.columns;
    expect((cols.get('id') as ArrayLike<unknown>)[3]).toBe(4n);
    expect((cols.get('amount') as ArrayLike<unknown>)[3]).toBe(3.75);
    expect((cols.get('label') as ArrayLike<unknown>)[0]).toBeNull();
    expect((cols.get('label') as ArrayLike<unknown>)[1]).toBe('p1');
    const at = (cols.get('at') as ArrayLike<unknown>)[2];
    expect(at).toBeInstanceOf(Date);
    expect((at as Date).toISOString()).toBe('2025-01-01T02:00:00.000Z');
  });

  it('decodes only the requested columns', async () => {
    const batches = await collect(readParquetBatches(file, { columns: ['amount'] }));
    expect(batches.every((b) => [...b.columns.keys()].join() === 'amount')).toBe(true);
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(N);
  });

  it('reads each column chunk of a row group once even when the group is sliced into many batches', async () => {
    const counted = memoryFile(fileBytes);
    await collect(readParquetBatches(counted, { columns: ['id'], maxRows: 10 }));
    const distinct = new Set(counted.reads.map(([s, e]) => `${s}-${e}`));
    expect(counted.reads.length).toBe(distinct.size);
  });

  it('rejects an unknown column with PARQUET_COLUMN_MISSING naming it and the file', async () => {
    await expect(collect(readParquetBatches(file, { columns: ['id', 'nope'] }))).rejects.toMatchObject({
      code: 'PARQUET_COLUMN_MISSING',
      status: 422,
      message: expect.stringMatching(/mem:\/\/test\.parquet.*"nope"/),
    });
  });

  it('yields nothing for a file with zero rows', async () => {
    const empty = memoryFile(parquetWriteBuffer({ columnData: [{ name: 'id', data: new BigInt64Array(0), type: 'INT64' }] }));
    expect(await collect(readParquetBatches(empty))).toEqual([]);
  });
});
