// What crosses the thread boundary when a table is loaded by workers (plain data and
// transferable buffers only). The main thread does the I/O of reading the Parquet bytes and
// the order-dependent work (unique keys, derived views); workers decode, normalise, validate,
// build documents and write them through their own sink.
import type { WorkerSinkSpec } from '../load/sink.js';
import type { ParquetColumnInfo } from '../parquet/types.js';
import type { ViolationReport } from '../validate/violations.js';

export interface WorkerSetup {
  readonly dataset: string;
  readonly sink: WorkerSinkSpec;
  readonly sampleLimit?: number;
  readonly batchRows?: number;
  /** Normalised columns to send back for the main thread's observers, by name. */
  readonly observe: readonly string[];
}

/** The bytes of one row group of one file: the file's head and footer plus the group's chunks. */
export interface UnitBytes {
  readonly uri: string;
  readonly size: number;
  readonly version: string;
  readonly rowGroup: number;
  /** The file's columns as the main thread read them from the footer (saves a second parse). */
  readonly columns: readonly ParquetColumnInfo[];
  readonly ranges: ReadonlyArray<{ readonly start: number; readonly bytes: ArrayBuffer }>;
}

/** `table` starts a table (the sink opens on its first unit), `close` ends it with a `closed` reply. */
export type ToWorker =
  | { readonly type: 'table'; readonly setup: WorkerSetup }
  | { readonly type: 'unit'; readonly id: number; readonly unit: UnitBytes }
  | { readonly type: 'close' };

export type ColumnValues = Float64Array | ReadonlyArray<string | null>;

export interface BatchFacts {
  readonly rowOffset: number;
  readonly numRows: number;
  /** The unique-key column's normalised values. */
  readonly keys: ColumnValues;
  /** Rows with a violation (1), when the batch has any. */
  readonly invalid: Uint8Array | null;
  readonly observed: Readonly<Record<string, ColumnValues>>;
}

export interface SerializedError {
  readonly code?: string;
  readonly message: string;
  readonly status?: number;
  readonly details?: unknown;
}

export type FromWorker =
  | { readonly type: 'unit'; readonly id: number; readonly rows: number; readonly report: ViolationReport; readonly batches: readonly BatchFacts[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'closed'; readonly docs: number; readonly bytes: number; readonly error?: SerializedError };
