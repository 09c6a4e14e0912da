// Cursors: int64 ids, default first batch of 101, batchSize, limit across getMores,
// singleBatch and killCursors; a cursor dies with its collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Long } from 'mongodb';
import type { Document } from 'mongodb';
import { connectTestDb } from '../../../test/support/mongo.js';
import type { TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;
const N = 250;

beforeAll(async () => {
  conn = await connectTestDb('mts_cursors');
  await conn.db.collection('c').insertMany(Array.from({ length: N }, (_, i) => ({ _id: i, pad: 'x'.repeat(10) })) as Document[]);
});
afterAll(async () => {
  await conn?.cleanup();
});

describe('cursors', () => {
  it('returns a first batch of 101 documents and an int64 cursor id', async () => {
    const reply = await conn.db.command({ find: 'c', sort: { _id: 1 } }, { promoteLongs: false });
    expect(reply.cursor.firstBatch).toHaveLength(101);
    expect(reply.cursor.id).toBeInstanceOf(Long);
    expect((reply.cursor.id as Long).isZero()).toBe(false);
    expect(reply.cursor.ns).toBe(`${conn.dbName}.c`);
    const more = await conn.db.command({ getMore: reply.cursor.id as Long, collection: 'c' }, { promoteLongs: false });
    expect(more.cursor.nextBatch).toHaveLength(N - 101);
    expect((more.cursor.id as Long).isZero()).toBe(true);
  });

  it('iterates everything through getMore with a small batchSize', async () => {
    const ids = (await conn.db.collection('c').find({}, { batchSize: 7, sort: { _id: 1 } }).toArray()).map((d) => d._id as unknown as number);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => i));
  });

  it('holds a limit across getMores', async () => {
    const cursor = conn.db.collection('c').find({}, { batchSize: 10, limit: 25, sort: { _id: -1 } });
    const ids: number[] = [];
    for await (const doc of cursor) ids.push(doc._id as unknown as number);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => N - 1 - i));
    const raw = await conn.db.command({ find: 'c', batchSize: 10, limit: 25 }, { promoteLongs: false });
    const second = await conn.db.command({ getMore: raw.cursor.id as Long, collection: 'c', batchSize: 100 }, { promoteLongs: false });
    expect(second.cursor.nextBatch).toHaveLength(15);
    expect((second.cursor.id as Long).isZero()).toBe(true);
  });

  it('closes the cursor after one batch with singleBatch', async () => {
    const reply = await conn.db.command({ find: 'c', batchSize: 5, singleBatch: true }, { promoteLongs: false });
    expect(reply.cursor.firstBatch).toHaveLength(5);
    expect((reply.cursor.id as Long).isZero()).toBe(true);
  });

  it('pages aggregation results with cursor.batchSize', async () => {
    const docs = await conn.db.collection('c').aggregate([{ $match: { _id: { $lt: 60 } } }], { batchSize: 8 }).toArray();
    expect(docs).toHaveLength(60);
  });

  it('kills cursors and then answers CursorNotFound (43)', async () => {
    const reply = await conn.db.command({ find: 'c', batchSize: 2 }, { promoteLongs: false });
    const id = reply.cursor.id as Long;
    const killed = await conn.db.command({ killCursors: 'c', cursors: [id] }, { promoteLongs: false });
    expect((killed.cursorsKilled as Long[]).map(String)).toEqual([id.toString()]);
    await expect(conn.db.command({ getMore: id, collection: 'c' })).rejects.toMatchObject({ code: 43, codeName: 'CursorNotFound' });
  });
});

// mongod kills a collection's cursors when it is dropped or renamed; the next getMore fails
// (QueryPlanKilled, 175, on current servers). The publisher's swap renames and drops collections
// the API may be paging through, so a test server whose cursors outlived them would hide
// exactly the failure the served copies exist to prevent.
describe('a cursor and its collection', () => {
  const KILLED = [175, 237, 43]; // QueryPlanKilled; CursorKilled and CursorNotFound on other versions
  const seed = async (name: string) => {
    await conn.db.collection(name).insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i })) as Document[]);
    const cursor = conn.db.collection(name).find({}, { batchSize: 5, sort: { _id: 1 } });
    await cursor.next();
    return cursor;
  };
  const failure = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      return error as { code?: number };
    }
    throw new Error('the cursor kept returning documents');
  };

  it('fails its next getMore once the collection is dropped', async () => {
    const cursor = await seed('dropped');
    await conn.db.collection('dropped').drop();
    const error = await failure(() => cursor.toArray());
    expect(KILLED).toContain(error.code);
  });

  it('fails its next getMore once another collection is renamed onto it with dropTarget', async () => {
    const cursor = await seed('replaced');
    await conn.db.collection<{ _id: string }>('replacement').insertOne({ _id: 'new' });
    await conn.db.renameCollection('replacement', 'replaced', { dropTarget: true });
    const error = await failure(() => cursor.toArray());
    expect(KILLED).toContain(error.code);
  });

  it('fails its next getMore once its collection is renamed away', async () => {
    const cursor = await seed('moved');
    await conn.db.renameCollection('moved', 'moved_elsewhere');
    const error = await failure(() => cursor.toArray());
    expect(KILLED).toContain(error.code);
  });

  it('keeps going while documents are written to its collection', async () => {
    const cursor = await seed('written');
    const written = conn.db.collection<{ _id: number; seen?: boolean }>('written');
    await written.updateOne({ _id: 0 }, { $set: { seen: true } });
    await written.insertOne({ _id: 100 });
    const rest = (await cursor.toArray()).map((d) => d._id as unknown as number);
    expect(rest.slice(0, 19)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });
});
