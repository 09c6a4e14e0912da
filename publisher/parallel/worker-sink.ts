// The worker side of WorkerSinkSpec: the same sinks the main thread would have used, rebuilt
// from plain data (a MongoDB sink opens its own connection, closed with the sink).
import { bsonSinkFactory, mongoSinkFactory, nullSinkFactory, type CollectionSink, type WorkerSinkSpec } from '../load/sink.js';

export interface WorkerSink extends CollectionSink {
  /** BSON bytes encoded (BSON sink only; 0 otherwise). */
  readonly bytes: () => number;
}

export async function openWorkerSink(spec: WorkerSinkSpec, collection: string): Promise<WorkerSink> {
  if (spec.kind === 'bson') {
    const factory = bsonSinkFactory();
    const sink = await factory.open(collection);
    return { write: (docs) => sink.write(docs), close: () => sink.close(), bytes: () => factory.stats.bytes };
  }
  if (spec.kind === 'null') {
    const sink = await nullSinkFactory().open(collection);
    return { write: (docs) => sink.write(docs), close: () => sink.close(), bytes: () => 0 };
  }
  // Loaded only here: the driver takes a few hundred milliseconds to load, and the other sinks
  // (benchmark, --check) do not need it.
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(spec.uri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });
  const db = client.db(spec.dbName);
  const sinks = await Promise.all(
    spec.targets.map((target) => mongoSinkFactory(db, { target: () => target, inFlight: spec.inFlight, chunkDocs: spec.chunkDocs }).open(collection)),
  );
  return {
    async write(docs) {
      await Promise.all(sinks.map((s) => s.write(docs)));
    },
    async close() {
      try {
        const written = await Promise.all(sinks.map((s) => s.close()));
        return written[0] ?? 0;
      } finally {
        await client.close();
      }
    },
    bytes: () => 0,
  };
}
