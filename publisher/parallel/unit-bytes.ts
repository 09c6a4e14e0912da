// Row groups as units of parallel work. The main thread reads a unit's bytes (the file's head
// and footer, and the group's column chunks for the columns wanted) through the file's own
// AsyncBuffer — local disk or S3 byte ranges, so workers never do source I/O — and a worker
// reads them back as a ParquetFile that holds only those ranges.
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { parquetInvalid } from '../parquet/errors.js';
import type { ParquetColumnInfo } from '../parquet/types.js';
import type { ParquetFile } from '../sources/types.js';
import { FOOTER_FETCH } from '../parquet/metadata.js';
import type { UnitBytes } from './messages.js';

/** The byte ranges one unit needs, in file order. */
export function unitRanges(metadata: FileMetaData, size: number, footerLength: number, rowGroup: number, columns: readonly string[]): Array<[number, number]> {
  const group = metadata.row_groups[rowGroup];
  if (!group) throw new RangeError(`row group ${rowGroup} does not exist`);
  const wanted = new Set(columns);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (!meta || !wanted.has(meta.path_in_schema[0] ?? '')) continue;
    const dictionary = Number(meta.dictionary_page_offset ?? 0);
    const data = Number(meta.data_page_offset);
    const from = dictionary > 0 ? Math.min(dictionary, data) : data;
    start = Math.min(start, from);
    end = Math.max(end, from + Number(meta.total_compressed_size));
  }
  // The reader fetches the last 64 KiB at once (metadata.ts), or the whole footer if larger.
  const footer: [number, number] = [Math.max(0, Math.min(size - FOOTER_FETCH, size - 8 - footerLength)), size];
  const head: [number, number] = [0, 4];
  return end > start ? [head, [start, end], footer] : [head, footer];
}

/** The footer length stored in the last 8 bytes of a Parquet file. */
export async function footerLengthOf(buffer: AsyncBuffer): Promise<number> {
  const tail = new DataView(await buffer.slice(buffer.byteLength - 8, buffer.byteLength));
  return tail.getUint32(0, true);
}

/**
 * Reads a unit's ranges. `buffer` must hand out buffers the caller owns (they are transferred
 * to the worker): a file's own AsyncBuffer does, the caching guardedBuffer does not. The
 * ranges come from a footer already checked against the file size (metadata.ts).
 */
export async function readUnit(
  file: ParquetFile,
  buffer: AsyncBuffer,
  ranges: ReadonlyArray<[number, number]>,
  rowGroup: number,
  columns: readonly ParquetColumnInfo[],
): Promise<UnitBytes> {
  const parts = await Promise.all(
    ranges.map(async ([start, end]) => {
      const bytes = await buffer.slice(start, end);
      if (bytes.byteLength !== end - start) throw parquetInvalid(file.uri, `read of bytes [${start}, ${end}) returned ${bytes.byteLength} bytes (file changed or truncated?)`);
      return { start, bytes };
    }),
  );
  return { uri: file.uri, size: file.size, version: file.version, rowGroup, columns, ranges: parts };
}

/** The worker's view of a unit: reads inside the ranges sent, an error for anything else. */
export function unitParquetFile(unit: UnitBytes): ParquetFile {
  const buffer: AsyncBuffer = {
    byteLength: unit.size,
    slice(start: number, end: number = unit.size): Promise<ArrayBuffer> {
      const part = unit.ranges.find((r) => r.start <= start && end <= r.start + r.bytes.byteLength);
      if (!part) return Promise.reject(parquetInvalid(unit.uri, `bytes [${start}, ${end}) were not sent with row group ${unit.rowGroup}`));
      return Promise.resolve(part.bytes.slice(start - part.start, end - part.start));
    },
  };
  return Object.freeze({ uri: unit.uri, size: unit.size, version: unit.version, open: () => Promise.resolve(buffer) });
}
