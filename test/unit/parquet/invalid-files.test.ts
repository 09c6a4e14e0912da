import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { isAppError } from '../../../src/errors/app-error.js';
import { readParquetBatches, readParquetSchema } from '../../../publisher/parquet/index.js';
import type { ParquetFile } from '../../../publisher/sources/types.js';
import { memoryFile } from './memory-file.js';

async function drain(file: ParquetFile): Promise<number> {
  let rows = 0;
  for await (const batch of readParquetBatches(file, { maxRows: 50 })) rows += batch.numRows;
  return rows;
}

const good = new Uint8Array(
  parquetWriteBuffer({
    columnData: [
      { name: 'id', data: BigInt64Array.from({ length: 200 }, (_, i) => BigInt(i)), type: 'INT64', nullable: false },
      { name: 'name', data: Array.from({ length: 200 }, (_, i) => `name-${i % 13}`), type: 'STRING' },
      { name: 'x', data: Float64Array.from({ length: 200 }, (_, i) => i / 3), type: 'DOUBLE', nullable: false },
    ],
    rowGroupSize: 64,
  }),
);

const footerLength = new DataView(good.buffer, good.byteOffset).getUint32(good.byteLength - 8, true);

function withBytes(mutate: (bytes: Uint8Array) => Uint8Array | void): ParquetFile {
  const copy = good.slice();
  return memoryFile(mutate(copy) ?? copy, 'mem://bad.parquet');
}

const invalid = { code: 'PARQUET_INVALID', status: 422 };

describe('invalid Parquet input', () => {
  it('reads the untouched file (control)', async () => {
    expect(await drain(memoryFile(good))).toBe(200);
  });

  it('rejects a zero-byte file, naming the file', async () => {
    await expect(drain(memoryFile(new Uint8Array(0), 'mem://empty.parquet'))).rejects.toMatchObject({
      ...invalid,
      message: expect.stringMatching(/mem:\/\/empty\.parquet.*empty \(0 bytes\)/),
    });
  });

  it('rejects a file too short to be Parquet', async () => {
    await expect(readParquetSchema(memoryFile(new TextEncoder().encode('PAR1PAR1')))).rejects.toMatchObject(invalid);
  });

  it('rejects a CSV file with a clear message', async () => {
    const csv = new TextEncoder().encode('id_achat,id_client,montant\n1,2,3.5\n'.repeat(10));
    await expect(drain(memoryFile(csv))).rejects.toMatchObject({ ...invalid, message: expect.stringContaining('PAR1') });
  });

  it('rejects a truncated file (the end cut off)', async () => {
    await expect(drain(withBytes((b) => b.slice(0, b.byteLength - 100)))).rejects.toMatchObject(invalid);
  });

  it('rejects a footer length larger than the file', async () => {
    const file = withBytes((b) => new DataView(b.buffer).setUint32(b.byteLength - 8, 0x7fffffff, true));
    await expect(drain(file)).rejects.toMatchObject({ ...invalid, message: expect.stringContaining('footer length') });
  });

  it('rejects garbage in place of the footer', async () => {
    const file = withBytes((b) => {
      for (let i = b.byteLength - 8 - footerLength; i < b.byteLength - 8; i++) b[i] = (i * 37) & 0xff;
    });
    await expect(drain(file)).rejects.toMatchObject(invalid);
  });

  it('rejects corrupt page data inside a column chunk', async () => {
    const file = withBytes((b) => {
      for (let i = 8; i < 400; i++) b[i] = 0xff;
    });
    await expect(drain(file)).rejects.toMatchObject(invalid);
  });

  // Footer/metadata corruption is fully guarded here. Corrupt page *payloads* are not covered by
  // this property: hyparquet 1.33's RLE/bit-packed decoder can spin on some corrupt runs
  // (a known gap, see publisher/parquet/read-batches.ts), so flips stay within the footer.
  it('never fails with anything but PARQUET_INVALID, whatever footer bytes are changed (property)', async () => {
    const footerStart = good.byteLength - 8 - footerLength;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: footerStart, max: good.byteLength - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const file = withBytes((b) => {
          for (const [at, value] of flips) b[at] = value;
        });
        try {
          await drain(file);
        } catch (error) {
          if (!isAppError(error) || error.code !== 'PARQUET_INVALID') throw error;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
