// Where documents go. The pipeline writes through this tiny interface, so the same code loads
// MongoDB staging collections, or (bench, --check) only BSON-encodes or drops the documents.
import { serialize, serializeWithBufferAndIndex } from 'bson';
import type { Db, Document } from 'mongodb';
import { AppError } from '../../src/errors/app-error.js';
import { PUBLISH_ERRORS } from '../errors.js';

export interface CollectionSink {
  /** Accepts a batch; resolves when the caller may send the next one (bounded in-flight writes). */
  write(docs: Document[]): Promise<void>;
  /** Waits for every write; returns the number of documents written. */
  close(): Promise<number>;
}

export interface SinkFactory {
  /** A sink for `collection` (the final name; the factory decides where it really goes). */
  open(collection: string): Promise<CollectionSink>;
  /**
   * How a worker thread writes what this factory's sink for `collection` would (call open()
   * first); undefined when it cannot, and the table is then loaded on the main thread.
   */
  workerSink?(collection: string): WorkerSinkSpec | undefined;
  /** Takes the count workers report (the BSON sink adds their encoded bytes to its stats). */
  recordWorker?(report: { docs: number; bytes: number }): void;
}

/** A sink a worker can rebuild on its side of the thread boundary (plain data only). */
export type WorkerSinkSpec =
  | { readonly kind: 'bson' }
  | { readonly kind: 'null' }
  | { readonly kind: 'mongo'; readonly uri: string; readonly dbName: string; readonly targets: readonly string[]; readonly inFlight: number; readonly chunkDocs: number };

export interface MongoSinkOptions {
  /** insertMany calls in flight per collection (default 3). */
  readonly inFlight?: number;
  /** Documents per insertMany at most (default 8,192). */
  readonly chunkDocs?: number;
  /** Collection name actually written, e.g. the staging name. */
  readonly target: (collection: string) => string;
  /** The connection string of `db`'s client: lets worker threads connect on their own. */
  readonly workerUri?: string;
}

/** insertMany(ordered: false) with several batches in flight into `target(collection)`. */
export function mongoSinkFactory(db: Db, options: MongoSinkOptions): SinkFactory {
  const limit = options.inFlight ?? 3;
  // Bounded insertMany size: smoother pipelining and bounded driver buffers (~1–2 MB of BSON each).
  const chunk = options.chunkDocs ?? 8_192;
  const uri = options.workerUri;
  return {
    workerSink: (collection) =>
      uri ? { kind: 'mongo', uri, dbName: db.databaseName, targets: [options.target(collection)], inFlight: limit, chunkDocs: chunk } : undefined,
    async open(collection) {
      const name = options.target(collection);
      const coll = db.collection(name);
      const pending = new Set<Promise<void>>();
      let written = 0;
      let failure: unknown;
      const fail = (error: unknown): AppError =>
        new AppError(PUBLISH_ERRORS.LOAD_FAILED, `load: insertMany into ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      const send = async (docs: Document[]): Promise<void> => {
        if (failure) throw fail(failure);
        const p: Promise<void> = coll
          .insertMany(docs, { ordered: false })
          .then((r) => {
            written += r.insertedCount;
          })
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => pending.delete(p));
        pending.add(p);
        while (pending.size >= limit) await Promise.race(pending);
        if (failure) throw fail(failure);
      };
      return {
        async write(docs) {
          for (let start = 0; start < docs.length; start += chunk) await send(docs.length <= chunk ? docs : docs.slice(start, start + chunk));
        },
        async close() {
          await Promise.all(pending);
          if (failure) throw fail(failure);
          return written;
        },
      };
    },
  };
}

/** Encodes every document to BSON and throws it away: the pipeline's cost without a database. */
export function bsonSinkFactory(stats: { bytes: number; docs: number } = { bytes: 0, docs: 0 }): SinkFactory & { stats: { bytes: number; docs: number } } {
  return {
    stats,
    workerSink: () => ({ kind: 'bson' }),
    recordWorker(report) {
      stats.bytes += report.bytes;
      stats.docs += report.docs;
    },
    async open() {
      let docs = 0;
      // One reused buffer, as a driver encodes into its own: the cost measured is the encoding.
      const buffer = Buffer.alloc(1 << 20);
      return {
        async write(batch) {
          for (const doc of batch) {
            try {
              stats.bytes += serializeWithBufferAndIndex(doc, buffer, { index: 0 }) + 1;
            } catch {
              stats.bytes += serialize(doc).length; // larger than the buffer
            }
          }
          docs += batch.length;
          stats.docs += batch.length;
        },
        async close() {
          return docs;
        },
      };
    },
  };
}

/** Counts documents without encoding them (--check). */
export function nullSinkFactory(): SinkFactory {
  return {
    workerSink: () => ({ kind: 'null' }),
    async open() {
      let docs = 0;
      return {
        async write(batch) {
          docs += batch.length;
        },
        async close() {
          return docs;
        },
      };
    },
  };
}
