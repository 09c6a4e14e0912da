// Footer reading with guards: the footer length, row counts and column-chunk offsets are checked
// against the real file size before hyparquet is asked to allocate or read anything from them.
import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, LogicalType, SchemaElement } from 'hyparquet';
import type { ParquetFile } from '../sources/types.js';
import { parquetInvalid, toParquetError } from './errors.js';
import { guardedBuffer } from './guarded-buffer.js';
import { PARQUET_PARSERS } from './parsers.js';
import type { ParquetColumnInfo, ParquetSchemaInfo } from './types.js';

const MAGIC = 0x31524150; // 'PAR1' little-endian
/** Smallest possible Parquet file: 'PAR1' + footer length (4) + 'PAR1', plus a non-empty footer. */
const MIN_FILE_SIZE = 12;
/** The footer is read in one request of at most this size (hyparquet's default is 512 KiB). */
export const FOOTER_FETCH = 64 * 1024;
/** A column chunk whose declared uncompressed size is above this is treated as corrupt. */
export const MAX_CHUNK_UNCOMPRESSED = 2 * 1024 * 1024 * 1024;

export interface OpenedParquet {
  readonly buffer: AsyncBuffer;
  readonly metadata: FileMetaData;
}

/** Opens the file, validates magic numbers and footer, and parses the metadata. */
export async function openParquet(file: ParquetFile): Promise<OpenedParquet> {
  const { uri } = file;
  let raw: AsyncBuffer;
  try {
    raw = await file.open();
  } catch (error) {
    throw toParquetError(uri, 'open', error);
  }
  const size = raw.byteLength;
  if (size === 0) throw parquetInvalid(uri, 'the file is empty (0 bytes)');
  if (size < MIN_FILE_SIZE) throw parquetInvalid(uri, `the file is ${size} bytes, too short for Parquet (at least ${MIN_FILE_SIZE})`);
  const buffer = guardedBuffer(uri, raw);
  try {
    const head = new DataView(await buffer.slice(0, 4));
    if (head.getUint32(0, true) !== MAGIC) throw parquetInvalid(uri, 'no PAR1 magic number at the start of the file');
    const tailStart = Math.max(0, size - FOOTER_FETCH);
    const tail = new DataView(await buffer.slice(tailStart, size));
    if (tail.getUint32(tail.byteLength - 4, true) !== MAGIC) {
      throw parquetInvalid(uri, 'no PAR1 magic number at the end of the file (truncated or not Parquet)');
    }
    const footerLength = tail.getUint32(tail.byteLength - 8, true);
    if (footerLength === 0 || footerLength > size - MIN_FILE_SIZE) {
      throw parquetInvalid(uri, `footer length ${footerLength} does not fit in a ${size}-byte file`);
    }
    const metadata = await parquetMetadataAsync(buffer, { parsers: PARQUET_PARSERS, initialFetchSize: FOOTER_FETCH });
    checkMetadata(uri, size, metadata);
    return { buffer, metadata };
  } catch (error) {
    throw toParquetError(uri, 'footer', error);
  }
}

/** Sizes and counts in the footer must be consistent with each other and with the file size. */
function checkMetadata(uri: string, size: number, metadata: FileMetaData): void {
  if (!Array.isArray(metadata.schema) || metadata.schema.length === 0) throw parquetInvalid(uri, 'the footer has no schema');
  if (!Array.isArray(metadata.row_groups)) throw parquetInvalid(uri, 'the footer has no row groups list');
  const numRows = Number(metadata.num_rows);
  if (!Number.isSafeInteger(numRows) || numRows < 0) throw parquetInvalid(uri, `absurd row count ${String(metadata.num_rows)}`);
  const leafCount = metadata.schema.filter((e) => e.type !== undefined).length;
  let sum = 0;
  metadata.row_groups.forEach((group, g) => {
    const rows = Number(group.num_rows);
    if (!Number.isSafeInteger(rows) || rows < 0) throw parquetInvalid(uri, `row group ${g} has an absurd row count ${String(group.num_rows)}`);
    sum += rows;
    if (rows > 0 && group.columns.length !== leafCount) {
      throw parquetInvalid(uri, `row group ${g} has ${group.columns.length} column chunks for ${leafCount} schema columns`);
    }
    group.columns.forEach((chunk, c) => {
      const meta = chunk.meta_data;
      if (!meta) throw parquetInvalid(uri, `row group ${g} column ${c} has no metadata (encrypted or external file?)`);
      if (chunk.file_path) throw parquetInvalid(uri, `row group ${g} column ${c} lives in another file (${chunk.file_path})`);
      const column = meta.path_in_schema.join('.');
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const dataStart = Number(meta.data_page_offset);
      const compressed = Number(meta.total_compressed_size);
      const uncompressed = Number(meta.total_uncompressed_size);
      const lower = Math.min(start > 0 ? start : dataStart, dataStart);
      if (!(lower >= 4 && compressed >= 0 && lower + compressed <= size - 8)) {
        throw parquetInvalid(uri, `row group ${g} column ${column}: chunk at offset ${lower} of ${compressed} bytes lies outside the ${size}-byte file`);
      }
      if (!(uncompressed >= 0 && uncompressed <= MAX_CHUNK_UNCOMPRESSED)) {
        throw parquetInvalid(uri, `row group ${g} column ${column}: absurd uncompressed size ${uncompressed}`);
      }
      const values = Number(meta.num_values);
      if (!Number.isSafeInteger(values) || values < 0) throw parquetInvalid(uri, `row group ${g} column ${column}: absurd value count ${values}`);
    });
  });
  if (sum !== numRows) throw parquetInvalid(uri, `the footer says ${numRows} rows but its row groups hold ${sum}`);
}

/** The largest declared uncompressed column chunk: no page can legitimately decompress to more. */
export function maxChunkUncompressed(metadata: FileMetaData): number {
  let max = 0;
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) max = Math.max(max, Number(chunk.meta_data?.total_uncompressed_size ?? 0));
  }
  return max;
}

export function describeSchema(uri: string, metadata: FileMetaData): ParquetSchemaInfo {
  try {
    const tree = parquetSchema(metadata);
    const columns = tree.children.map((child): ParquetColumnInfo => describeColumn(child.element, child.children.length > 0));
    return { numRows: Number(metadata.num_rows), rowGroups: metadata.row_groups.length, columns };
  } catch (error) {
    throw toParquetError(uri, 'schema', error);
  }
}

function describeColumn(element: SchemaElement, isGroup: boolean): ParquetColumnInfo {
  const info: ParquetColumnInfo = {
    name: element.name,
    physicalType: isGroup || element.type === undefined ? 'GROUP' : element.type,
    nullable: element.repetition_type !== 'REQUIRED',
  };
  if (element.logical_type) info.logicalType = formatLogical(element.logical_type);
  if (element.converted_type) info.convertedType = element.converted_type;
  return info;
}

function formatLogical(logical: LogicalType): string {
  switch (logical.type) {
    case 'TIMESTAMP':
    case 'TIME':
      return `${logical.type}(${logical.unit}${logical.isAdjustedToUTC ? ',UTC' : ''})`;
    case 'DECIMAL':
      return `DECIMAL(${logical.precision},${logical.scale})`;
    case 'INTEGER':
      return `INTEGER(${logical.bitWidth},${logical.isSigned ? 'signed' : 'unsigned'})`;
    default:
      return logical.type;
  }
}
