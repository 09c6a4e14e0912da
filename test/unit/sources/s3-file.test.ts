import { describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import { makeS3ParquetFile, READ_AHEAD_BYTES } from '../../../publisher/sources/s3-file.js';

/** A fake S3 client serving GetObject byte ranges from memory, recording each Range header. */
function fakeClient(bytes: Uint8Array): { client: S3Client; ranges: string[] } {
  const ranges: string[] = [];
  const client = {
    send(command: { input: { Range?: string } }) {
      const range = command.input.Range ?? '';
      ranges.push(range);
      const match = /^bytes=(\d+)-(\d+)$/.exec(range);
      if (!match) return Promise.reject(new Error(`unsupported range ${range}`));
      const body = bytes.slice(Number(match[1]), Number(match[2]) + 1);
      return Promise.resolve({ Body: { transformToByteArray: () => Promise.resolve(body) } });
    },
  } as unknown as S3Client;
  return { client, ranges };
}

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
const loc = { bucket: 'gold', key: 'fact_achats.parquet', size: bytes.byteLength, etag: 'abc' };

describe('S3 ParquetFile', () => {
  it('names itself s3://bucket/key and carries size and ETag', () => {
    const file = makeS3ParquetFile(fakeClient(bytes).client, 'h:1', loc);
    expect(file).toMatchObject({ uri: 's3://gold/fact_achats.parquet', size: 300_000, version: 'abc' });
  });

  it('returns exactly the requested bytes, using only explicit byte ranges', async () => {
    const fake = fakeClient(bytes);
    const buffer = await makeS3ParquetFile(fake.client, 'h:1', loc).open();
    for (const [start, end] of [[0, 4], [299_992, 300_000], [1000, 200_000], [123, 124], [70_000, 70_010]] as const) {
      const got = Buffer.from(await buffer.slice(start, end));
      // Buffer.equals, not toEqual: a deep diff of 200 KB arrays is needlessly slow.
      expect(got.equals(Buffer.from(bytes.subarray(start, end))), `bytes ${start}-${end}`).toBe(true);
    }
    expect(fake.ranges.every((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
  });

  it('serves small reads near each other from one read-ahead window', async () => {
    const fake = fakeClient(bytes);
    const buffer = await makeS3ParquetFile(fake.client, 'h:1', loc).open();
    await buffer.slice(bytes.byteLength - 8, bytes.byteLength);
    await buffer.slice(bytes.byteLength - 1000, bytes.byteLength - 8);
    expect(fake.ranges).toEqual([`bytes=${bytes.byteLength - READ_AHEAD_BYTES}-${bytes.byteLength - 1}`]);
  });

  it('turns a short body into SOURCE_READ_FAILED naming the object and the range', async () => {
    const client = { send: () => Promise.resolve({ Body: { transformToByteArray: () => Promise.resolve(new Uint8Array(3)) } }) } as unknown as S3Client;
    const buffer = await makeS3ParquetFile(client, 'h:1', loc).open();
    await expect(buffer.slice(100_000, 200_000)).rejects.toMatchObject({
      code: 'SOURCE_READ_FAILED',
      message: expect.stringMatching(/s3:\/\/gold\/fact_achats\.parquet bytes 100000-199999.*3 bytes/),
    });
  });
});
