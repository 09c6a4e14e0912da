// Encodes a table on a worker thread; falls back to the calling thread when no worker can be
// started (the result is the same bytes, only the timing differs).
import { Worker } from 'node:worker_threads';
import { encodeParquet, type ParquetCodec } from './parquet-encode.js';
import type { GoldTable } from './gold-table.js';
import { packTable } from './table-transfer.js';

/** From TypeScript sources the worker needs tsx registered first (see encode-worker-boot.mjs). */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./encode-worker-boot.mjs', import.meta.url) : new URL('./encode-worker.js', import.meta.url);
}

/**
 * Starts encoding `table` on a worker now (the table is copied to it synchronously, so the
 * caller may keep using it) and resolves with the Parquet bytes.
 */
export interface Encoded {
  readonly buffer: ArrayBuffer;
  /** Where the encoding ran: on a worker thread, or here after the worker could not start. */
  readonly where: 'worker' | 'main';
}

export function encodeInWorker(table: GoldTable, codec: ParquetCodec): Promise<Encoded> {
  let worker: Worker;
  try {
    worker = new Worker(workerEntry());
    worker.postMessage({ table: packTable(table), codec });
  } catch {
    return Promise.resolve().then(() => ({ buffer: encodeParquet(table, codec), where: 'main' as const }));
  }
  return new Promise<Encoded>((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: { ok: true; buffer: ArrayBuffer } | { ok: false; message: string }) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve({ buffer: reply.buffer, where: 'worker' });
      else reject(new Error(`encode ${table.name} in worker: ${reply.message}`));
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      // The worker could not run (e.g. its loader is unavailable): encode here instead.
      try {
        resolve({ buffer: encodeParquet(table, codec), where: 'main' });
      } catch (inner) {
        reject(inner instanceof Error ? inner : error);
      }
    });
  });
}
