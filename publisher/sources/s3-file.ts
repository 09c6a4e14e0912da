// A ParquetFile stored in S3/MinIO. Reads are explicit byte-range GETs ('bytes=a-b', never the
// suffix form 'bytes=-n', which some S3 look-alikes answer wrongly and which hyparquet does not
// need since the size is known from the listing). Small reads are widened to a read-ahead window
// and the last few windows are kept, so the footer and small pages cost one round trip.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { classifyS3Error, SOURCE_ERROR_CODES, sourceError } from './errors.js';
import type { ParquetFile } from './types.js';

/** Reads smaller than this are widened to this many bytes (bounded by the object's end). */
export const READ_AHEAD_BYTES = 64 * 1024;
const WINDOWS_KEPT = 4;

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export function makeS3ParquetFile(client: S3Client, endpoint: string, loc: S3Location): ParquetFile {
  const uri = `s3://${loc.bucket}/${loc.key}`;
  return Object.freeze({
    uri,
    size: loc.size,
    version: loc.etag,
    open: (): Promise<AsyncBuffer> => Promise.resolve(s3AsyncBuffer(client, endpoint, uri, loc)),
  });
}

/** One GET of bytes [start, end). Exported for tests of the range arithmetic. */
export async function getRange(client: S3Client, endpoint: string, uri: string, loc: S3Location, start: number, end: number): Promise<ArrayBuffer> {
  if (end <= start) return new ArrayBuffer(0);
  let body: Uint8Array;
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${start}-${end - 1}` }));
    if (!response.Body) throw new Error('empty response body');
    body = await response.Body.transformToByteArray();
  } catch (error) {
    const failure = classifyS3Error(error);
    throw sourceError(
      failure.code === SOURCE_ERROR_CODES.S3_FAILED ? SOURCE_ERROR_CODES.SOURCE_READ_FAILED : failure.code,
      `S3 read of ${uri} bytes ${start}-${end - 1} at ${endpoint} failed: ${failure.cause}`,
      { endpoint, uri, start, end },
      error,
    );
  }
  if (body.byteLength !== end - start) {
    throw sourceError(
      SOURCE_ERROR_CODES.SOURCE_READ_FAILED,
      `S3 read of ${uri} bytes ${start}-${end - 1} at ${endpoint} returned ${body.byteLength} bytes instead of ${end - start} (object changed?)`,
      { endpoint, uri, start, end, received: body.byteLength },
    );
  }
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
    ? (body.buffer as ArrayBuffer)
    : (body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
}

function s3AsyncBuffer(client: S3Client, endpoint: string, uri: string, loc: S3Location): AsyncBuffer {
  const size = loc.size;
  const windows: Array<{ start: number; end: number; data: Promise<ArrayBuffer> }> = [];
  return {
    byteLength: size,
    slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const hit = windows.find((w) => w.start <= start && end <= w.end);
      if (hit) return hit.data.then((buf) => buf.slice(start - hit.start, end - hit.start));
      if (end - start >= READ_AHEAD_BYTES) return getRange(client, endpoint, uri, loc, start, end);
      // Widen a small read; near the end of the object, widen backwards (footer reads).
      const winEnd = Math.min(size, Math.max(end, start + READ_AHEAD_BYTES));
      const winStart = Math.max(0, Math.min(start, winEnd - READ_AHEAD_BYTES));
      const data = getRange(client, endpoint, uri, loc, winStart, winEnd);
      const entry = { start: winStart, end: winEnd, data };
      windows.unshift(entry);
      if (windows.length > WINDOWS_KEPT) windows.pop();
      data.catch(() => {
        const i = windows.indexOf(entry);
        if (i >= 0) windows.splice(i, 1);
      });
      return data.then((buf) => buf.slice(start - winStart, end - winStart));
    },
  };
}
