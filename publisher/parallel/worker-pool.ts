// Worker threads for one publish, started once and reused table after table (starting a thread
// and loading its modules costs about as much as loading a few hundred thousand rows). Messages
// are routed to whoever is running a table; a thread that dies fails that table's load.
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './messages.js';

/** From TypeScript sources the worker needs tsx registered first (see table-worker-boot.mjs). */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./table-worker-boot.mjs', import.meta.url) : new URL('./table-worker.js', import.meta.url);
}

/**
 * Heap cap of a worker. Its working set is one unit of work — a batch of rows, one page per
 * column, the documents being written: tens of MB (the row group's bytes and the arrays sent
 * back live outside the heap). Without a cap V8 lets each worker's heap grow far past that
 * while allocation is fast, which added ~90 MB of RSS at 5M rows (bench:publish); with it,
 * garbage is collected first. A worker that still runs out stops the publish with LOAD_FAILED;
 * PUBLISH_WORKERS=1 then loads on the main thread, which has no such cap.
 */
export const WORKER_OLD_GENERATION_MB = 128;

export interface WorkerPool {
  readonly size: number;
  send(worker: number, message: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Routes every message (and thread failure) to `handler` until the next call. */
  listen(handler: (worker: number, message: FromWorker) => void, onFailure: (error: Error) => void): void;
  close(): Promise<void>;
}

export function createWorkerPool(size: number): WorkerPool {
  const workers = Array.from({ length: Math.max(1, size) }, () => new Worker(workerEntry(), { resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB } }));
  let handler: (worker: number, message: FromWorker) => void = () => undefined;
  let onFailure: (error: Error) => void = () => undefined;
  let closing = false;
  workers.forEach((worker, w) => {
    worker.on('message', (message: FromWorker) => handler(w, message));
    worker.on('error', (error) => onFailure(error));
    worker.on('exit', (code) => {
      if (!closing) onFailure(new Error(`worker thread ${w} exited (code ${code})`));
    });
  });
  return {
    size: workers.length,
    send: (w, message, transfer = []) => workers[w]?.postMessage(message, transfer),
    listen(h, f) {
      handler = h;
      onFailure = f;
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** A pool started on first use, shared by the tables of one pipeline run. */
export function lazyPool(size: number): { get(): WorkerPool; close(): Promise<void> } {
  let pool: WorkerPool | null = null;
  return {
    get: () => (pool ??= createWorkerPool(size)),
    close: async () => {
      await pool?.close();
      pool = null;
    },
  };
}
