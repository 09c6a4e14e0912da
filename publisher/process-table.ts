// One gold table, streamed: for each file, check its columns, then batch by batch decode →
// normalise → validate → (observe for the derived views) → build documents → write to the sink.
// Memory is bounded by a batch (plus the unique-key set). In `fail` mode writing stops at the
// first violation but validation goes on, so the report counts every bad row.
import type { DatasetSpec } from '../src/catalog/gold-catalog.js';
import { AppError, isAppError } from '../src/errors/app-error.js';
import { INVALID_INPUT_STATUS, PUBLISH_ERRORS } from './errors.js';
import { DOCUMENT_CHUNK, documentChunks } from './load/documents.js';
import type { CollectionSink } from './load/sink.js';
import { normaliseBatch, planTable, type NormalisedBatch, type TablePlan } from './normalise/normalise-batch.js';
import type { ParquetColumnInfo } from './parquet/types.js';
import type { TableSource } from './sources/types.js';
import type { OnInvalid, ParquetReader, TableSummary } from './types.js';
import { KeyTracker, validateBatch } from './validate/rules.js';
import { ViolationLog } from './validate/violations.js';

/** Sees every batch's rows that are kept (skip[i] === 1 marks a dropped row). */
export type BatchObserver = (plan: TablePlan, batch: NormalisedBatch, skip: Uint8Array) => void;

export interface ProcessTableInput {
  readonly dataset: DatasetSpec;
  readonly source: TableSource;
  readonly reader: ParquetReader;
  readonly sink: CollectionSink;
  readonly onInvalid: OnInvalid;
  readonly batchRows?: number;
  readonly sampleLimit?: number;
  readonly observe?: BatchObserver;
  readonly onRows?: (rows: number) => void;
}

export interface TableResult {
  readonly summary: TableSummary;
  /** Documents written to the sink. */
  readonly written: number;
  /** False when the table cannot be published (violations under `fail`, unreadable file...). */
  readonly ok: boolean;
}

const NO_SKIP = new Uint8Array(0);

/** The table plan for one file; a file lacking a required column is invalid input. */
export function planFile(dataset: DatasetSpec, uri: string, columns: readonly ParquetColumnInfo[]): TablePlan {
  const plan = planTable(dataset, columns);
  if (plan.missingRequired.length > 0) {
    throw new AppError(
      PUBLISH_ERRORS.COLUMN_MISSING,
      `validate: ${dataset.name} file ${uri} lacks required column(s) ${plan.missingRequired.join(', ')} (has: ${columns.map((c) => c.name).join(', ')})`,
      { status: INVALID_INPUT_STATUS, details: { table: dataset.name, file: uri, missing: plan.missingRequired } },
    );
  }
  return plan;
}

export async function processTable(input: ProcessTableInput): Promise<TableResult> {
  const { dataset, source, reader, sink } = input;
  const log = new ViolationLog(dataset.name, input.sampleLimit);
  let keys: KeyTracker | null = null;
  let rows = 0;
  let error: TableSummary['error'];
  try {
    for (const file of source.files) {
      const schema = await reader.readSchema(file);
      const plan = planFile(dataset, file.uri, schema.columns);
      // Sized for every file having as many rows as the first (saves rehashing as it grows).
      keys ??= new KeyTracker(Math.min(schema.numRows * source.files.length, 1 << 23));
      const batches = reader.readBatches(file, { columns: plan.read, fast: true, ...(input.batchRows ? { maxRows: input.batchRows } : {}) });
      for await (const raw of batches) {
        log.beginBatch(file.uri, raw.rowOffset, raw.numRows);
        const batch = normaliseBatch(plan, raw.numRows, raw.columns, log);
        validateBatch(plan, batch, keys, log);
        rows += raw.numRows;
        const writing = input.onInvalid === 'skip' || log.totalInvalidRows === 0;
        if (writing) {
          const skip = log.batchInvalidRows > 0 ? log.mask : NO_SKIP;
          input.observe?.(plan, batch, skip);
          for (const docs of documentChunks(plan, batch, skip, DOCUMENT_CHUNK)) await sink.write(docs);
        }
        input.onRows?.(raw.numRows);
      }
    }
  } catch (e) {
    error = tableError(e);
  }
  return tableResult(input, rows, log, error, await sink.close());
}

/** Bad input (unreadable file, missing column) is a table error; anything else aborts the run. */
export function tableError(e: unknown): TableSummary['error'] {
  if (!isAppError(e) || e.status !== INVALID_INPUT_STATUS) throw e;
  return { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) };
}

export function tableResult(input: Pick<ProcessTableInput, 'source' | 'onInvalid'>, rows: number, log: ViolationLog, error: TableSummary['error'], written: number, workers = 0): TableResult {
  const { source } = input;
  const violations = log.report();
  const summary: TableSummary = {
    origin: source.origin,
    location: source.location,
    layout: source.layout,
    files: source.files.map((f) => ({ uri: f.uri, size: f.size, version: f.version })),
    rows,
    workers,
    rejected: violations.invalidRows,
    violations,
    ...(error ? { error } : {}),
  };
  return { summary, written, ok: !error && (input.onInvalid === 'skip' || violations.invalidRows === 0) };
}
