// Shapes returned by the Parquet reader (see read-batches.ts for the JS type of each Parquet type).
import type { CodedTexts } from './coded-texts.js';

/** One column of a batch: values by row, or (fast mode) a dictionary-encoded text column kept coded. */
export type ColumnData = ArrayLike<unknown> | CodedTexts;

export interface ParquetColumnInfo {
  /** Top-level field name (a nested group is one column holding assembled objects/arrays). */
  name: string;
  /** BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, or GROUP. */
  physicalType: string;
  /** e.g. 'TIMESTAMP(NANOS)', 'TIMESTAMP(MICROS)', 'DATE', 'STRING', 'DECIMAL(9,2)', 'INTEGER(32,signed)'. */
  logicalType?: string;
  /** Legacy converted type, e.g. 'UTF8', 'DATE', 'TIMESTAMP_MICROS', 'INT_64'. */
  convertedType?: string;
  /** Not REQUIRED: may hold nulls. */
  nullable: boolean;
}

export interface ParquetSchemaInfo {
  numRows: number;
  rowGroups: number;
  columns: ParquetColumnInfo[];
}

export interface ParquetBatch {
  /** Index of the first row within the file. */
  readonly rowOffset: number;
  readonly numRows: number;
  /** Column name → values (numRows of them; null where the value is null). */
  readonly columns: ReadonlyMap<string, ColumnData>;
}

export interface ReadBatchesOptions {
  /** Columns to decode (default all top-level columns). Unknown names → PARQUET_COLUMN_MISSING. */
  readonly columns?: readonly string[];
  /** Rows per batch at most (default 65_536). */
  readonly maxRows?: number;
  /** Flat-column decoding to Float64Array / EpochMsArray (NaN = null); see read-batches.ts. */
  readonly fast?: boolean;
  /** Only these row groups (indexes in the footer); rowOffset stays relative to the file. */
  readonly rowGroups?: readonly number[];
}
