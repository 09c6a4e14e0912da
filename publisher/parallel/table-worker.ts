// Worker thread loading row groups of one table: for each unit sent, decode → normalise →
// validate the value rules → build documents → write them through its own sink, then send back
// what the main thread needs to finish in file order: the unique-key values, the rows found
// invalid, the violation report and the columns the derived views read.
import { parentPort } from 'node:worker_threads';
import { datasetByName, type DatasetSpec } from '../../src/catalog/gold-catalog.js';
import { isAppError } from '../../src/errors/app-error.js';
import { DOCUMENT_CHUNK, documentChunks } from '../load/documents.js';
import { normaliseBatch, planTable, rowValues } from '../normalise/normalise-batch.js';
import { readParquetBatches } from '../parquet/read-batches.js';
import { validateBatch } from '../validate/rules.js';
import { ViolationLog } from '../validate/violations.js';
import type { BatchFacts, ColumnValues, FromWorker, SerializedError, ToWorker, WorkerSetup } from './messages.js';
import { unitParquetFile } from './unit-bytes.js';
import { openWorkerSink, type WorkerSink } from './worker-sink.js';

const NO_SKIP = new Uint8Array(0);

/** The table being loaded: set by a `table` message, ended by `close`. */
interface TableState {
  readonly setup: WorkerSetup;
  readonly dataset: DatasetSpec;
  sink?: WorkerSink;
  docs: number;
  /** Once a violation is seen the publish will fail: stop writing, keep validating. */
  writing: boolean;
  /**
   * The first write failure. It does not end the unit: a duplicate key inside a unit reaches
   * MongoDB (E11000) before the main thread sees the repeated id, and the user must get the
   * validation report, not the insert error. Reported at close; the main thread decides.
   */
  writeError?: unknown;
}
let table: TableState | null = null;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

function serialize(error: unknown): SerializedError {
  if (isAppError(error)) return { code: error.code, message: error.message, status: error.status, ...(error.details === undefined ? {} : { details: error.details }) };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function loadUnit(state: TableState, id: number, message: Extract<ToWorker, { type: 'unit' }>['unit']): Promise<void> {
  const { setup, dataset } = state;
  const keyName = dataset.uniqueKey[0] ?? '';
  const sink = (state.sink ??= await openWorkerSink(setup.sink, dataset.collection));
  const file = unitParquetFile(message);
  const plan = planTable(dataset, message.columns);
  const log = new ViolationLog(dataset.name, setup.sampleLimit);
  const batches: BatchFacts[] = [];
  const transfer = new Set<ArrayBuffer>();
  const values = (name: string, batch: ReturnType<typeof normaliseBatch>): ColumnValues => {
    const column = batch.columns[plan.columns.findIndex((c) => c.spec.name === name)];
    if (!column) throw new Error(`worker: ${dataset.name} has no column ${name}`);
    const data = rowValues(column);
    if (data instanceof Float64Array) transfer.add(data.buffer as ArrayBuffer);
    return data;
  };
  let rows = 0;
  const reading = readParquetBatches(file, { columns: plan.read, fast: true, rowGroups: [message.rowGroup], ...(setup.batchRows ? { maxRows: setup.batchRows } : {}) });
  for await (const raw of reading) {
    log.beginBatch(file.uri, raw.rowOffset, raw.numRows);
    const batch = normaliseBatch(plan, raw.numRows, raw.columns, log);
    validateBatch(plan, batch, null, log);
    rows += raw.numRows;
    state.writing &&= log.totalInvalidRows === 0;
    if (state.writing) {
      try {
        for (const built of documentChunks(plan, batch, NO_SKIP, DOCUMENT_CHUNK)) {
          await sink.write(built);
          state.docs += built.length;
        }
      } catch (error) {
        state.writing = false;
        state.writeError ??= error;
      }
    }
    const observed = Object.fromEntries(setup.observe.map((name) => [name, values(name, batch)]));
    batches.push({
      rowOffset: raw.rowOffset,
      numRows: raw.numRows,
      keys: values(keyName, batch),
      invalid: log.batchInvalidRows > 0 ? log.mask.slice(0, raw.numRows) : null,
      observed,
    });
  }
  post({ type: 'unit', id, rows, report: log.report(), batches }, [...transfer]);
}

async function closeTable(state: TableState | null): Promise<void> {
  try {
    const written = state?.sink ? await state.sink.close() : 0;
    if (state?.writeError) throw state.writeError;
    post({ type: 'closed', docs: written || (state?.docs ?? 0), bytes: state?.sink?.bytes() ?? 0 });
  } catch (error) {
    post({ type: 'closed', docs: state?.docs ?? 0, bytes: 0, error: serialize(state?.writeError ?? error) });
  }
}

// Messages are handled one at a time, in the order they arrive.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (message.type === 'table') table = { setup: message.setup, dataset: datasetByName(message.setup.dataset), docs: 0, writing: true };
    else if (message.type === 'unit') {
      const state = table;
      if (!state) post({ type: 'failed', id: message.id, error: { message: 'worker: a unit arrived before its table' } });
      else await loadUnit(state, message.id, message.unit).catch((error: unknown) => post({ type: 'failed', id: message.id, error: serialize(error) }));
    } else {
      await closeTable(table);
      table = null;
    }
  });
});
