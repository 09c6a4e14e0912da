// One big table loaded by a pool of worker threads, one row group per unit of work. This thread
// reads each unit's bytes (the source I/O stays here), hands units out (at most two waiting per
// worker, so memory stays bounded), and consumes the results in file order: violation reports,
// unique keys (first occurrence wins, as on one thread) and the derived views' columns. The
// outcome — rows, violations, documents written — is the same as processTable's; only the
// `fail` policy runs here (under `skip` a dropped duplicate must be known before writing).
import type { DatasetSpec } from '../../src/catalog/gold-catalog.js';
import { AppError } from '../../src/errors/app-error.js';
import { PUBLISH_ERRORS } from '../errors.js';
import type { CollectionSink, SinkFactory, WorkerSinkSpec } from '../load/sink.js';
import type { NormColumn, NormalisedBatch, TablePlan } from '../normalise/normalise-batch.js';
import { describeSchema, openParquet } from '../parquet/metadata.js';
import { planFile, tableError, tableResult, type BatchObserver, type TableResult } from '../process-table.js';
import type { TableSource } from '../sources/types.js';
import type { TableSummary } from '../types.js';
import { KeyTracker, checkKeys } from '../validate/rules.js';
import { ViolationLog } from '../validate/violations.js';
import type { FromWorker, SerializedError, ToWorker, UnitBytes, WorkerSetup } from './messages.js';
import { footerLengthOf, readUnit, unitRanges } from './unit-bytes.js';
import type { WorkerPool } from './worker-pool.js';

export interface ParallelTableInput {
  readonly dataset: DatasetSpec;
  readonly source: TableSource;
  readonly sinks: SinkFactory;
  readonly spec: WorkerSinkSpec;
  readonly pool: WorkerPool;
  readonly sampleLimit?: number;
  readonly batchRows?: number;
  readonly observe?: { readonly columns: readonly string[]; readonly fn: BatchObserver };
  readonly onRows?: (rows: number) => void;
}

interface Unit {
  readonly uri: string;
  readonly rows: number;
  readonly read: () => Promise<UnitBytes>;
  readonly plan: TablePlan;
}

const NO_SKIP = new Uint8Array(0);
const IN_FLIGHT_PER_WORKER = 2;

const toError = (e: SerializedError): Error =>
  e.code ? new AppError(e.code, e.message, { ...(e.status === undefined ? {} : { status: e.status }), ...(e.details === undefined ? {} : { details: e.details }) }) : new Error(e.message);

/** Every row group of every file, with its plan; a bad file or missing column is a table error. */
async function planUnits(dataset: DatasetSpec, source: TableSource): Promise<Unit[]> {
  const units: Unit[] = [];
  for (const file of source.files) {
    const { buffer, metadata } = await openParquet(file);
    const { columns } = describeSchema(file.uri, metadata);
    const plan = planFile(dataset, file.uri, columns);
    const footer = await footerLengthOf(buffer);
    const raw = await file.open(); // uncached reads: their buffers are transferred
    metadata.row_groups.forEach((group, g) => {
      const rows = Number(group.num_rows);
      if (rows === 0) return;
      const ranges = unitRanges(metadata, file.size, footer, g, plan.read);
      units.push({ uri: file.uri, plan, rows, read: () => readUnit(file, raw, ranges, g, columns) });
    });
  }
  return units;
}

export async function processTableParallel(input: ParallelTableInput): Promise<TableResult> {
  const { dataset } = input;
  const sink: CollectionSink = await input.sinks.open(dataset.collection); // registers and creates the target
  const log = new ViolationLog(dataset.name, input.sampleLimit);
  const keyName = dataset.uniqueKey[0] ?? '';
  let rows = 0;
  let error: TableSummary['error'];
  let units: Unit[] = [];
  try {
    units = await planUnits(dataset, input.source);
  } catch (e) {
    error = tableError(e);
  }
  const keys = new KeyTracker(units.reduce((n, u) => n + u.rows, 0));
  if (error || units.length === 0) return tableResult({ ...input, onInvalid: 'fail' }, 0, log, error, await sink.close());

  const setup: WorkerSetup = {
    dataset: dataset.name,
    sink: input.spec,
    observe: input.observe?.columns ?? [],
    ...(input.sampleLimit ? { sampleLimit: input.sampleLimit } : {}),
    ...(input.batchRows ? { batchRows: input.batchRows } : {}),
  };
  const pool = input.pool;
  const active = Math.max(1, Math.min(pool.size, units.length));
  const results = new Map<number, Extract<FromWorker, { type: 'unit' | 'failed' }>>();
  const closed: Array<Extract<FromWorker, { type: 'closed' }>> = [];
  const inFlight = Array.from({ length: active }, () => 0);
  let wake: (() => void) | null = null;
  let crash: Error | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  pool.listen(
    (w, message) => {
      if (message.type === 'closed') closed.push(message);
      else {
        inFlight[w] = (inFlight[w] ?? 1) - 1;
        results.set(message.id, message);
      }
      notify();
    },
    (e) => {
      crash ??= new AppError(PUBLISH_ERRORS.LOAD_FAILED, `load: a worker thread loading ${dataset.name} failed: ${e.message}`, { cause: e });
      notify();
    },
  );
  const waitForNews = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const send = (w: number, message: ToWorker, transfer: ArrayBuffer[] = []): void => pool.send(w, message, transfer);
  for (let w = 0; w < active; w++) send(w, { type: 'table', setup });

  let next = 0; // next unit to hand out
  let done = 0; // next unit to consume, in order
  try {
    while (done < units.length && !error) {
      // Hand out units to workers with room, in order.
      for (let w = 0; w < active && next < units.length; w++) {
        while ((inFlight[w] ?? 0) < IN_FLIGHT_PER_WORKER && next < units.length) {
          const id = next++;
          const unit = await (units[id] as Unit).read();
          inFlight[w] = (inFlight[w] ?? 0) + 1;
          send(w, { type: 'unit', id, unit }, unit.ranges.map((r) => r.bytes));
        }
      }
      const result = results.get(done);
      if (!result) {
        if (crash) throw crash;
        await waitForNews();
        continue;
      }
      results.delete(done);
      const unit = units[done++] as Unit;
      if (result.type === 'failed') {
        error = tableError(toError(result.error));
        break;
      }
      log.absorb(result.report);
      rows += result.rows;
      for (const b of result.batches) {
        log.beginBatch(unit.uri, b.rowOffset, b.numRows);
        if (b.invalid) log.mask.set(b.invalid);
        checkKeys(keyName, b.keys, b.numRows, log.mask, keys, log);
        if (input.observe && log.totalInvalidRows === 0) input.observe.fn(unit.plan, observedBatch(unit.plan, b.numRows, b.observed), NO_SKIP);
        input.onRows?.(b.numRows);
      }
    }
  } finally {
    // Close every worker's sink (waits for its writes; also after an error, so the next table
    // starts clean) and collect what was written.
    for (let w = 0; w < active; w++) send(w, { type: 'close' });
    while (closed.length < active && !crash) await waitForNews();
  }
  if (crash) throw crash;
  const docs = closed.reduce((n, c) => n + c.docs, 0);
  input.sinks.recordWorker?.({ docs, bytes: closed.reduce((n, c) => n + c.bytes, 0) });
  const failed = closed.find((c) => c.error);
  // A write failure matters only when the table is otherwise publishable.
  if (failed?.error && !error && log.totalInvalidRows === 0) {
    throw failed.error.code ? toError(failed.error) : new AppError(PUBLISH_ERRORS.LOAD_FAILED, `load: ${dataset.name} worker: ${failed.error.message}`);
  }
  await sink.close();
  return tableResult({ ...input, onInvalid: 'fail' }, rows, log, error, docs, active);
}

/** A batch holding only the observed columns, at their catalog positions. */
function observedBatch(plan: TablePlan, numRows: number, observed: Readonly<Record<string, Float64Array | ReadonlyArray<string | null>>>): NormalisedBatch {
  const columns: NormColumn[] = [];
  plan.columns.forEach((col, c) => {
    const values = observed[col.spec.name];
    if (values instanceof Float64Array) columns[c] = { kind: 'number', values };
    else if (values) columns[c] = { kind: 'text', values: values as (string | null)[] };
  });
  return { numRows, columns };
}
