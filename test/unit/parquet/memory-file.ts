// In-memory ParquetFile for unit tests (no I/O): bytes in, random access out, reads counted.
import type { ParquetFile } from '../../../publisher/sources/types.js';

export interface MemoryFile extends ParquetFile {
  readonly reads: Array<[number, number]>;
}

export function memoryFile(bytes: ArrayBuffer | Uint8Array, uri = 'mem://test.parquet'): MemoryFile {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const reads: Array<[number, number]> = [];
  return {
    uri,
    size: data.byteLength,
    version: 'v1',
    reads,
    open: () =>
      Promise.resolve({
        byteLength: data.byteLength,
        slice(start: number, end: number = data.byteLength) {
          reads.push([start, end]);
          return data.slice(start, end).buffer;
        },
      }),
  };
}
