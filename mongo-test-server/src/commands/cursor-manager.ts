// Server-side cursors: results are materialised when the cursor opens and handed out in
// batches. Ids are int64 (`Long`) like mongod's; the driver rejects int32 ids. A cursor over a
// collection dies with it, as mongod's do: once the collection is dropped or renamed (away, or
// replaced by a rename with dropTarget), the next getMore fails with QueryPlanKilled. A snapshot
// that outlived its collection would let tests pass that fail on a real server (found by an audit).
import { Long, calculateObjectSize } from 'bson';
import type { Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { toNumber } from './command-context.js';

export const DEFAULT_FIRST_BATCH = 101;
/** Leaves room for the reply envelope under the 16 MiB BSON limit. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface CursorState {
  ns: string;
  /** The collection the cursor reads, as the store held it at open (undefined: not collection-bound). */
  source: object | undefined;
  docs: Document[];
  position: number;
  /** Documents still allowed by `limit` (Infinity without one). */
  remaining: number;
}

export interface OpenCursorOptions {
  batchSize?: number | undefined;
  limit?: number | undefined;
  singleBatch?: boolean | undefined;
  /**
   * The collection object the results came from (the store's, at open): getMore fails once the
   * store no longer holds that object under the cursor's namespace.
   */
  source?: object | undefined;
}

/** What getMore asks the store: the collection object now held under `db`.`name`, if any. */
export type CollectionLookup = (db: string, name: string) => object | undefined;

export class CursorManager {
  private readonly cursors = new Map<string, CursorState>();
  // Random start so ids from a restarted server do not collide with a stale client's ids.
  private next = BigInt(Math.floor(Math.random() * 2 ** 40)) + 1n;

  get openCount(): number {
    return this.cursors.size;
  }

  /** Builds the `cursor` reply of find/aggregate/listX; keeps a cursor open only if needed. */
  open(ns: string, docs: Document[], options: OpenCursorOptions = {}): Document {
    const state: CursorState = { ns, source: options.source, docs, position: 0, remaining: options.limit && options.limit > 0 ? options.limit : Infinity };
    const firstBatch = this.takeBatch(state, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!options.singleBatch && this.hasMore(state)) {
      id = Long.fromBigInt(this.next++);
      this.cursors.set(id.toString(), state);
    }
    return { cursor: { firstBatch, id, ns }, ok: 1 };
  }

  getMore(command: Document, db: string, lookup: CollectionLookup): Document {
    const rawId: unknown = command.getMore;
    const idNumber = rawId instanceof Long ? rawId : typeof rawId === 'number' ? Long.fromNumber(rawId) : undefined;
    if (!idNumber) throw new MongoCommandError('TypeMismatch', `getMore: cursor id must be an int64, got ${typeof rawId}`);
    const key = idNumber.toString();
    const state = this.cursors.get(key);
    if (!state) throw new MongoCommandError('CursorNotFound', `cursor id ${key} not found`);
    const ns = `${db}.${String(command.collection)}`;
    if (ns !== state.ns) {
      throw new MongoCommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${state.ns}`);
    }
    if (state.source !== undefined && lookup(db, String(command.collection)) !== state.source) {
      this.cursors.delete(key);
      throw new MongoCommandError('QueryPlanKilled', `Executor error during getMore :: caused by :: collection dropped or renamed (${ns})`);
    }
    const batchSize = toNumber(command.batchSize);
    const nextBatch = this.takeBatch(state, batchSize && batchSize > 0 ? batchSize : Infinity);
    const more = this.hasMore(state);
    if (!more) this.cursors.delete(key);
    return { cursor: { nextBatch, id: more ? idNumber : Long.ZERO, ns: state.ns }, ok: 1 };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = raw instanceof Long ? raw : Long.fromNumber(toNumber(raw) ?? 0);
      if (this.cursors.delete(id.toString())) killed.push(id);
      else notFound.push(id);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  clear(): void {
    this.cursors.clear();
  }

  private hasMore(state: CursorState): boolean {
    return state.position < state.docs.length && state.remaining > 0;
  }

  private takeBatch(state: CursorState, batchSize: number): Document[] {
    const batch: Document[] = [];
    let bytes = 0;
    const max = Math.min(batchSize, state.remaining);
    while (batch.length < max && state.position < state.docs.length) {
      const doc = state.docs[state.position] as Document;
      const size = calculateObjectSize(doc, { ignoreUndefined: false });
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(doc);
      bytes += size;
      state.position++;
    }
    state.remaining -= batch.length;
    return batch;
  }
}
