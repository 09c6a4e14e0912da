// A ParquetFile on the local disk: positional reads, each opening and closing its own handle
// (hyparquet's AsyncBuffer has no close(), so a long-lived handle would leak).
import { open, stat } from 'node:fs/promises';
import type { AsyncBuffer } from 'hyparquet';
import type { ParquetFile } from './types.js';

export async function localParquetFile(absPath: string): Promise<ParquetFile> {
  const info = await stat(absPath);
  return makeLocalParquetFile(absPath, info.size, info.mtime.toISOString());
}

export function makeLocalParquetFile(absPath: string, size: number, version: string): ParquetFile {
  return Object.freeze({
    uri: absPath,
    size,
    version,
    async open(): Promise<AsyncBuffer> {
      // The size is re-read at open time: the reader must see the file as it is now.
      const current = await stat(absPath);
      return localAsyncBuffer(absPath, current.size);
    },
  });
}

function localAsyncBuffer(absPath: string, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end: number = byteLength): Promise<ArrayBuffer> {
      const length = Math.max(0, end - start);
      const bytes = new Uint8Array(length);
      const handle = await open(absPath, 'r');
      try {
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
          if (bytesRead === 0) break; // file shrank: the caller sees a short buffer
          done += bytesRead;
        }
        return done === length ? bytes.buffer : bytes.buffer.slice(0, done);
      } finally {
        await handle.close();
      }
    },
  };
}
