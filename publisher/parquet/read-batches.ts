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
// The `fast` mode's flat-column decoder (flat-column.ts) checks every run, so the columns it
// decodes cannot spin; hyparquet still decodes what it does not handle.
//
// `fast: true` (what the publisher uses) changes only the JS types: numeric columns come as
// Float64Array and temporal ones (DATE, TIMESTAMP, INT96) as EpochMsArray (epoch ms, floored),
// both with NaN for null, and text as (string | null)[] — or, for dictionary-encoded pages, as
// CodedTexts (the dictionary and a code per row; coded-texts.ts, `plainValues` materialises
// it); no BigInt and no Date per cell. Columns
// it does not handle (see flat-values.ts) and INT64 values beyond 2^53 keep the types above.
import { parquetScan, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, DecodedArray, FileMetaData, ParquetScan, SchemaElement } from 'hyparquet';
import type { ParquetFile } from '../sources/types.js';
import { PARQUET_ERROR_CODES, parquetInvalid, toParquetError } from './errors.js';
import { AppError } from '../../src/errors/app-error.js';
import { boundedCompressors, pageDecompressor } from './decompressors.js';
import { FLAT_ENCODINGS, FlatColumnCursor } from './flat-column.js';
import { FastPathUnsupported, flatKindOf } from './flat-values.js';
import { describeSchema, openParquet } from './metadata.js';
import { PARQUET_PARSERS } from './parsers.js';
import type { ColumnData, ParquetBatch, ParquetSchemaInfo, ReadBatchesOptions } from './types.js';

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
  const compressors = boundedCompressors(uri, metadata);

  let scan: ParquetScan;
  try {
    scan = await parquetScan({
      file: buffer,
      metadata,
      columns,
      compressors,
      parsers: PARQUET_PARSERS,
      // Offset indexes are optional and would cost extra reads; whole chunks are read instead.
      useOffsetIndex: false,
    });
  } catch (error) {
    throw toParquetError(uri, 'scan', error);
  }
  const hyparquetSlice = async (column: string, start: number, end: number): Promise<ArrayLike<unknown>> => {
    let data: DecodedArray;
    try {
      data = await scan.readColumn({ column, rowStart: start, rowEnd: end });
    } catch (error) {
      throw toParquetError(uri, `rows ${start}-${end - 1}, column "${column}"`, error);
    }
    if (data.length !== end - start) {
      throw parquetInvalid(uri, `rows ${start}-${end - 1}, column "${column}": decoded ${data.length} values for ${end - start} rows`);
    }
    return dateFix.has(column) ? daysToDates(withNulls(data)) : withNulls(data);
  };

  let groupStart = 0;
  const only = opts.rowGroups ? new Set(opts.rowGroups) : null;
  // Top-level primitive columns by name: the ones the flat decoder may take.
  const leaves = new Map(parquetSchema(metadata).children.filter((c) => c.children.length === 0).map((c) => [c.element.name, c.element]));
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    if (only && !only.has(g)) {
      groupStart = groupEnd;
      continue;
    }
    // One cursor per column in fast mode; null = hyparquet decodes this column of this group.
    const cursors = opts.fast ? await openCursors(buffer, metadata, leaves, g, columns, compressors) : new Map<string, FlatColumnCursor>();
    for (let start = groupStart; start < groupEnd; start += maxRows) {
      const end = Math.min(start + maxRows, groupEnd);
      const out = new Map<string, ColumnData>();
      for (const column of columns) {
        const cursor = cursors.get(column);
        let data: ColumnData | null = null;
        if (cursor) {
          try {
            data = cursor.read(end - start);
          } catch (error) {
            if (!(error instanceof FastPathUnsupported)) throw toParquetError(uri, `rows ${start}-${end - 1}, column "${column}"`, error);
            cursors.delete(column);
          }
        }
        out.set(column, data ?? (await hyparquetSlice(column, start, end)));
      }
      yield { rowOffset: start, numRows: end - start, columns: out };
    }
    groupStart = groupEnd;
  }
}

/** Flat-column cursors for the columns of row group `g` the fast decoder handles. */
async function openCursors(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  leaves: ReadonlyMap<string, SchemaElement>,
  g: number,
  columns: readonly string[],
  compressors: ReturnType<typeof boundedCompressors>,
): Promise<Map<string, FlatColumnCursor>> {
  const cursors = new Map<string, FlatColumnCursor>();
  const group = metadata.row_groups[g];
  if (!group) return cursors;
  for (const column of columns) {
    const element = leaves.get(column);
    const kind = element && element.repetition_type !== 'REPEATED' ? flatKindOf(element) : null;
    const meta = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column)?.meta_data;
    if (!element || !kind || !meta || !meta.encodings.every((e) => FLAT_ENCODINGS.has(e))) continue;
    let decompress;
    try {
      decompress = pageDecompressor(meta.codec, compressors);
    } catch (error) {
      if (error instanceof FastPathUnsupported) continue;
      throw error;
    }
    const dictionary = Number(meta.dictionary_page_offset ?? 0);
    const data = Number(meta.data_page_offset);
    const start = dictionary > 0 ? Math.min(dictionary, data) : data;
    // Bounds were checked against the file size when the footer was read (metadata.ts).
    const bytes = new Uint8Array(await buffer.slice(start, start + Number(meta.total_compressed_size)));
    cursors.set(
      column,
      new FlatColumnCursor({
        kind,
        bytes,
        numValues: Number(meta.num_values),
        nullable: element.repetition_type !== 'REQUIRED',
        decompress,
        where: `row group ${g}, column "${column}"`,
      }),
    );
  }
  return cursors;
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
