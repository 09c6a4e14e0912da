// Streaming, column-projected Parquet decoding: one row group at a time, and within a huge row
// group one slice of at most `maxRows` rows at a time, so memory is bounded by the slice (plus
// one compressed column chunk) whatever the file size.
//
// JS types of the decoded values (measured on DuckDB-, pyarrow- and Spark-written files, see
// test/unit/parquet and test/integration/parquet-testing.test.ts):
//   BOOLEAN                          → boolean
//   INT32 (plain, INT_8/16/32, UINT_8/16) → number
//   UINT_32                          → number (non-negative)
//   INT64 (plain, INT_64)            → bigint (ids and counts: the normaliser converts)
//   UINT_64                          → bigint (non-negative)
//   FLOAT, DOUBLE, FLOAT16           → number
//   DECIMAL (INT32/INT64/FIXED/BYTE_ARRAY) → number (scaled; exact only up to 2^53)
//   DATE                             → Date at 00:00:00.000 UTC of that day
//   TIMESTAMP(MILLIS|MICROS|NANOS), TIMESTAMP_MILLIS/MICROS, INT96 → Date (the instant, floored to
//                                      the millisecond; naive and UTC-adjusted alike, as UTC)
//   BYTE_ARRAY / STRING / UTF8 / ENUM / JSON-less binary → string (UTF-8 decoded)
//   JSON                             → parsed JSON value
//   FIXED_LEN_BYTE_ARRAY (no logical type) → Uint8Array
//   UUID                             → string 'xxxxxxxx-xxxx-…'
//   TIME(…)                          → number / bigint as stored (not converted)
//   nested groups (struct/list/map)  → objects / arrays as assembled by hyparquet
//   null                             → null (never undefined)
// Typed arrays (Int32Array, BigInt64Array, Float64Array…) are returned for REQUIRED numeric
// columns; plain arrays otherwise. Both are ArrayLike, index them, don't rely on array methods.
//
// Failure handling: every error becomes PARQUET_INVALID (422) naming the file, the rows and the
// column. The footer is validated against the file size before anything is allocated (see
// metadata.ts), reads outside the file are refused (guarded-buffer.ts), and no decompressor may
// allocate more than the largest declared column chunk. Page CRCs are NOT verified (hyparquet
// ignores them): a page with a wrong checksum decodes to whatever bytes it holds.
// Known gap: hyparquet 1.33's RLE/bit-packed decoder trusts run lengths inside a decompressed
// page; some corrupt runs make it spin synchronously (found by fuzzing page bytes, none of the
// parquet-testing bad_data files does this). Only a worker with a watchdog could bound that.
import { parquetScan } from 'hyparquet';
import type { Compressors, DecodedArray, FileMetaData } from 'hyparquet';
import { compressors as baseCompressors } from 'hyparquet-compressors';
import type { ParquetFile } from '../sources/types.js';
import { PARQUET_ERROR_CODES, parquetInvalid, toParquetError } from './errors.js';
import { AppError } from '../../src/errors/app-error.js';
import { describeSchema, maxChunkUncompressed, openParquet } from './metadata.js';
import { PARQUET_PARSERS } from './parsers.js';
import type { ParquetBatch, ParquetSchemaInfo, ReadBatchesOptions } from './types.js';

export const DEFAULT_MAX_ROWS = 65_536;

export async function readParquetSchema(file: ParquetFile): Promise<ParquetSchemaInfo> {
  const { metadata } = await openParquet(file);
  return describeSchema(file.uri, metadata);
}

export async function* readParquetBatches(file: ParquetFile, opts: ReadBatchesOptions = {}): AsyncGenerator<ParquetBatch> {
  const uri = file.uri;
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) throw new RangeError(`readParquetBatches: maxRows must be a positive integer, got ${maxRows}`);
  const { buffer, metadata } = await openParquet(file);
  const schema = describeSchema(uri, metadata);
  const available = schema.columns.map((c) => c.name);
  const columns = opts.columns ? [...opts.columns] : available;
  const unknown = columns.filter((c) => !available.includes(c));
  if (unknown.length > 0) {
    throw new AppError(PARQUET_ERROR_CODES.PARQUET_COLUMN_MISSING, `parquet read: ${uri} has no column ${unknown.map((c) => `"${c}"`).join(', ')} (columns: ${available.join(', ')})`, {
      status: 422,
      details: { file: uri, missing: unknown, available },
    });
  }
  if (schema.numRows === 0) return;
  // hyparquet converts DATE only when the legacy converted type is present; a writer that sets
  // just the logical type would otherwise yield day numbers.
  const dateFix = new Set(schema.columns.filter((c) => c.logicalType === 'DATE' && c.convertedType !== 'DATE').map((c) => c.name));

  let scan;
  try {
    scan = await parquetScan({
      file: buffer,
      metadata,
      columns,
      compressors: boundedCompressors(uri, metadata),
      parsers: PARQUET_PARSERS,
      // Offset indexes are optional and would cost extra reads; whole chunks are read instead.
      useOffsetIndex: false,
    });
  } catch (error) {
    throw toParquetError(uri, 'scan', error);
  }

  for (const range of scan.ranges) {
    for (let start = range.rowStart; start < range.rowEnd; start += maxRows) {
      const end = Math.min(start + maxRows, range.rowEnd);
      const out = new Map<string, ArrayLike<unknown>>();
      for (const column of columns) {
        let data: DecodedArray;
        try {
          data = await scan.readColumn({ column, rowStart: start, rowEnd: end });
        } catch (error) {
          throw toParquetError(uri, `rows ${start}-${end - 1}, column "${column}"`, error);
        }
        if (data.length !== end - start) {
          throw parquetInvalid(uri, `rows ${start}-${end - 1}, column "${column}": decoded ${data.length} values for ${end - start} rows`);
        }
        out.set(column, dateFix.has(column) ? daysToDates(withNulls(data)) : withNulls(data));
      }
      yield { rowOffset: start, numRows: end - start, columns: out };
    }
  }
}

/** hyparquet leaves absent optional values as undefined; the contract is null. */
function withNulls(data: DecodedArray): ArrayLike<unknown> {
  if (!Array.isArray(data)) return data;
  for (let i = 0; i < data.length; i++) if (data[i] === undefined) data[i] = null;
  return data;
}

function daysToDates(data: ArrayLike<unknown>): ArrayLike<unknown> {
  return Array.from(data, (v) => (typeof v === 'number' ? PARQUET_PARSERS.dateFromDays?.(v) : v));
}

/**
 * Every decompressor, wrapped: a page header claiming more decompressed bytes than the largest
 * column chunk declares is corrupt, and is refused before the output buffer is allocated.
 */
function boundedCompressors(uri: string, metadata: FileMetaData): Compressors {
  const limit = maxChunkUncompressed(metadata);
  const wrapped: Compressors = {};
  for (const [codec, decompress] of Object.entries(baseCompressors) as Array<[keyof Compressors, Compressors[keyof Compressors]]>) {
    if (!decompress) continue;
    wrapped[codec] = (input: Uint8Array, outputLength: number) => {
      if (!(outputLength >= 0 && outputLength <= limit)) {
        throw parquetInvalid(uri, `a ${codec} page claims ${outputLength} decompressed bytes, more than its column chunk (${limit})`);
      }
      return decompress(input, outputLength);
    };
  }
  return wrapped;
}
