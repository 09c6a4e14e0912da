// Wraps the AsyncBuffer a ParquetFile opens: every slice is bounds-checked (a corrupt offset in
// the metadata must not read outside the file or allocate wildly), and the last few slices are
// kept so that reading one huge row group in several row slices fetches each column chunk once.
import type { AsyncBuffer } from 'hyparquet';
import { parquetInvalid } from './errors.js';

/** Slices kept in memory, most recent first. Small: one per column being read is enough. */
const CACHE_SLOTS = 16;
/** Larger slices are not cached, to keep memory bounded. */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;

export function guardedBuffer(uri: string, inner: AsyncBuffer): AsyncBuffer {
  const size = inner.byteLength;
  const cache: Array<{ start: number; end: number; data: Promise<ArrayBuffer> }> = [];
  let cachedBytes = 0;
  return {
    byteLength: size,
    slice(start: number, end: number = size): Promise<ArrayBuffer> {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > size) {
        return Promise.reject(parquetInvalid(uri, `read of bytes [${start}, ${end}) is outside the file (${size} bytes)`));
      }
      const hit = cache.find((c) => c.start <= start && end <= c.end);
      if (hit) return hit.data.then((buf) => (hit.start === start && hit.end === end ? buf : buf.slice(start - hit.start, end - hit.start)));
      const data = Promise.resolve(inner.slice(start, end)).then((buf) => {
        if (buf.byteLength !== end - start) {
          throw parquetInvalid(uri, `read of bytes [${start}, ${end}) returned ${buf.byteLength} bytes (file changed or truncated?)`);
        }
        return buf;
      });
      const length = end - start;
      if (length <= CACHE_MAX_BYTES) {
        cache.unshift({ start, end, data });
        cachedBytes += length;
        while (cache.length > CACHE_SLOTS || cachedBytes > CACHE_MAX_BYTES) {
          const evicted = cache.pop();
          if (!evicted) break;
          cachedBytes -= evicted.end - evicted.start;
        }
        // A failed read must not stay cached.
        data.catch(() => {
          const i = cache.findIndex((c) => c.data === data);
          if (i >= 0) {
            cachedBytes -= length;
            cache.splice(i, 1);
          }
        });
      }
      return data;
    },
  };
}
