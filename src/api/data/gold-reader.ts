// The API's only MongoDB access: a handful of reads, each with maxTimeMS, each failure mapped
// to a client-safe AppError naming what was being read. maxTimeMS bounds only the server's work;
// a server that stops answering is bounded by the client's socketTimeoutMS (mongo-connect.ts).
import type { Db, Document, FindCursor, MongoClient } from 'mongodb';
import { KPI_DOCUMENT, SYSTEM_COLLECTIONS, datasetByName } from '../../catalog/gold-catalog.js';
import type { FindPlan } from '../query/mongo-find.js';
import { dbUnavailable, toApiError } from './mongo-errors.js';

export interface PublishMeta {
  readonly version: string;
  readonly publishedAt: Date | null;
  /**
   * Canonical collection → the publish's own copy, which the API reads instead: the meta
   * document switches every endpoint to a new publish in one write (publisher/load/served.ts).
   */
  readonly served: Readonly<Record<string, string>>;
}

/** The physical collection holding `collection` for this publish (canonical when not listed). */
export function physicalCollection(collection: string, meta: PublishMeta | null | undefined): string {
  return meta?.served[collection] ?? collection;
}

function parseServed(value: unknown): Record<string, string> {
  const served: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') served[k] = v;
  }
  return served;
}

/** Id of the meta document and of the KPI document (publisher contract). */
const META_ID = 'current';
const KPI_ID = 'kpis';

export interface GoldReader {
  /** The current publish, or null when nothing was ever published. */
  readMeta(): Promise<PublishMeta | null>;
  // Reads name the canonical collection; `meta` picks that publish's served copy.
  readKpis(meta?: PublishMeta | null): Promise<Record<string, unknown> | null>;
  findRows(collection: string, plan: FindPlan, meta?: PublishMeta | null): Promise<Record<string, unknown>[]>;
  /** For streamed exports; the caller closes it. */
  openCursor(collection: string, plan: FindPlan, meta?: PublishMeta | null): FindCursor<Record<string, unknown>>;
  /** True when the collection holds no document (or does not exist). */
  isEmpty(collection: string, meta?: PublishMeta | null): Promise<boolean>;
  /** Values of `key` in the dataset's rows where `column` equals `value`. */
  lookup(dataset: string, column: string, value: string, key: string, meta?: PublishMeta | null): Promise<unknown[]>;
  ping(): Promise<void>;
}

/**
 * Whether the driver currently knows no reachable data-bearing server. While it does, reads fail
 * at once instead of each waiting the whole server-selection timeout (which, behind the cache's
 * version check, would delay the first 503 of an outage by seconds). The driver's monitor keeps
 * probing (heartbeatFrequencyMS) and flips it back when MongoDB returns. One listener per client.
 */
interface Availability {
  down: boolean;
  /** Reads in flight, told when the driver marks MongoDB down (see guardedRead). */
  readonly onDown: Set<() => void>;
}

const downByClient = new WeakMap<MongoClient, Availability>();
function availabilityOf(client: MongoClient | undefined): Availability | undefined {
  if (!client) return undefined;
  let state = downByClient.get(client);
  if (!state) {
    const s: Availability = { down: false, onDown: new Set() };
    client.on('topologyDescriptionChanged', (event) => {
      const wasDown = s.down;
      s.down = !event.newDescription.hasDataBearingServers;
      if (s.down && !wasDown) for (const notify of [...s.onDown]) notify();
    });
    downByClient.set(client, s);
    state = s;
  }
  return state;
}

/**
 * A read that fails at once while MongoDB is known down, and also when the driver learns it is
 * down while the read waits: a read started just before an outage was seen would otherwise wait
 * out the whole server-selection timeout (the version check's read held every cache lane's
 * requests that long; the outage test's first 503s came at ~3 s instead of ~1).
 */
async function guardedRead<T>(stage: string, run: () => Promise<T>, availability?: Availability): Promise<T> {
  if (availability?.down) throw dbUnavailable(stage);
  const read = run();
  if (!availability) {
    try {
      return await read;
    } catch (error) {
      throw toApiError(error, stage);
    }
  }
  let notify = (): void => undefined;
  const down = new Promise<never>((_, reject) => {
    notify = () => reject(dbUnavailable(stage));
  });
  availability.onDown.add(notify);
  try {
    return await Promise.race([read.catch((error: unknown) => Promise.reject(toApiError(error, stage))), down]);
  } finally {
    availability.onDown.delete(notify);
    // The abandoned read still ends (with the selection timeout): nobody waits for it.
    read.catch(() => undefined);
  }
}

export function createGoldReader(db: Db, maxTimeMS: number): GoldReader {
  const availability = availabilityOf((db as { client?: MongoClient }).client);
  const guarded = <T>(stage: string, run: () => Promise<T>): Promise<T> => guardedRead(stage, run, availability);
  const kpiProjection: Document = { _id: 0 };
  for (const f of KPI_DOCUMENT.fields) kpiProjection[f.name] = 1;

  return {
    readMeta: () =>
      // The stage names no collection: error bodies must not reveal internal names.
      guarded('read the publish metadata', async () => {
        const doc = await db
          .collection(SYSTEM_COLLECTIONS.meta)
          .findOne({ _id: META_ID as never }, { projection: { version: 1, published_at: 1, served: 1 }, maxTimeMS });
        if (!doc || (typeof doc.version !== 'string' && typeof doc.version !== 'number')) return null;
        const publishedAt = doc.published_at instanceof Date ? doc.published_at : null;
        return { version: String(doc.version), publishedAt, served: parseServed(doc.served) };
      }),
    readKpis: (meta) =>
      guarded(`read ${KPI_DOCUMENT.collection}`, async () => {
        const doc = await db
          .collection(physicalCollection(KPI_DOCUMENT.collection, meta))
          .findOne({ _id: KPI_ID as never }, { projection: kpiProjection, maxTimeMS });
        return doc as Record<string, unknown> | null;
      }),
    findRows: (collection, plan, meta) =>
      guarded(`read ${collection}`, () =>
        db
          .collection<Record<string, unknown>>(physicalCollection(collection, meta))
          .find(plan.filter, { projection: plan.projection, sort: plan.sort, skip: plan.skip, limit: plan.limit, maxTimeMS })
          .toArray(),
      ),
    openCursor: (collection, plan, meta) =>
      db
        .collection<Record<string, unknown>>(physicalCollection(collection, meta))
        .find(plan.filter, { projection: plan.projection, sort: plan.sort, skip: plan.skip, limit: plan.limit, maxTimeMS, batchSize: 1000 }),
    isEmpty: (collection, meta) =>
      guarded(
        `read ${collection}`,
        async () => (await db.collection(physicalCollection(collection, meta)).findOne({}, { projection: { _id: 1 }, maxTimeMS })) === null,
      ),
    lookup: (dataset, column, value, key, meta) => {
      const collection = datasetByName(dataset).collection;
      return guarded(`read ${collection}`, async () => {
        const rows = await db
          .collection(physicalCollection(collection, meta))
          .find({ [column]: value }, { projection: { _id: 0, [key]: 1 }, maxTimeMS })
          .toArray();
        return rows.map((r) => r[key] as unknown);
      });
    },
    ping: () =>
      guarded('ping MongoDB', async () => {
        await db.command({ ping: 1, maxTimeMS });
      }),
  };
}
