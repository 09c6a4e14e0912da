// CRUD through the official driver: insert/find/update/delete/findAndModify/count/distinct.
// Asserts MongoDB's real behaviour, so it also passes against a real server (MONGO_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection, Document } from 'mongodb';
import { connectTestDb } from '../../../test/support/mongo.js';
import type { TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;

beforeAll(async () => {
  conn = await connectTestDb('mts_crud');
});
afterAll(async () => {
  await conn?.cleanup();
});

/** Documents with number/string ids (the driver's default schema assumes ObjectId). */
interface AnyIdDoc extends Document {
  _id?: number | string;
}

async function seeded(name: string, docs: AnyIdDoc[]): Promise<Collection<AnyIdDoc>> {
  const coll = conn.db.collection<AnyIdDoc>(name);
  await coll.insertMany(docs);
  return coll;
}

describe('insert and find', () => {
  it('round-trips documents with BSON types and generates ObjectIds', async () => {
    const coll = conn.db.collection('types');
    const when = new Date('2026-01-20T10:39:43Z');
    const result = await coll.insertOne({ name: 'a', n: 1.5, i: 3, when, nested: { list: [1, 'x', null] } });
    expect(result.insertedId.constructor.name).toBe('ObjectId');
    const found = await coll.findOne({ _id: result.insertedId });
    expect(found).toEqual({ _id: result.insertedId, name: 'a', n: 1.5, i: 3, when, nested: { list: [1, 'x', null] } });
  });

  it('filters, sorts, skips, limits and projects', async () => {
    const coll = await seeded('people', Array.from({ length: 20 }, (_, i) => ({ _id: i, age: i % 5, name: `p${String(i).padStart(2, '0')}` })));
    const rows = await coll.find({ age: { $gte: 3 } }, { projection: { _id: 0, name: 1 } }).sort({ age: -1, name: 1 }).skip(1).limit(3).toArray();
    expect(rows).toEqual([{ name: 'p09' }, { name: 'p14' }, { name: 'p19' }]);
    expect(await coll.countDocuments({ age: 0 })).toBe(4);
    expect(await coll.estimatedDocumentCount()).toBe(20);
    expect(await coll.countDocuments({}, { skip: 5, limit: 10 })).toBe(10);
  });

  it('returns no documents from a collection that does not exist', async () => {
    expect(await conn.db.collection('nope').find({}).toArray()).toEqual([]);
    expect(await conn.db.collection('nope').countDocuments()).toBe(0);
  });

  it('distinct collapses equal values and unwinds arrays', async () => {
    const coll = await seeded('tags', [{ t: ['a', 'b'] }, { t: 'a' }, { t: ['c'] }, { u: 1 }]);
    expect((await coll.distinct('t')).sort()).toEqual(['a', 'b', 'c']);
    expect(await coll.distinct('t', { t: 'c' })).toEqual(['c']);
  });
});

describe('update', () => {
  it('updates one or many documents and reports matched/modified counts', async () => {
    const coll = await seeded('upd', [{ _id: 1, k: 'x', v: 1 }, { _id: 2, k: 'x', v: 2 }, { _id: 3, k: 'y', v: 3 }]);
    const one = await coll.updateOne({ k: 'x' }, { $inc: { v: 10 } });
    expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
    const many = await coll.updateMany({ k: 'x' }, { $set: { seen: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    const noop = await coll.updateMany({ k: 'x' }, { $set: { seen: true } });
    expect([noop.matchedCount, noop.modifiedCount]).toEqual([2, 0]);
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, k: 'x', v: 11, seen: true },
      { _id: 2, k: 'x', v: 2, seen: true },
      { _id: 3, k: 'y', v: 3 },
    ]);
  });

  it('upserts with the filter equality fields and $setOnInsert, which is ignored on update', async () => {
    const coll = conn.db.collection('upsert');
    const first = await coll.updateOne({ key: 'k1', 'meta.src': 's' }, { $set: { v: 1 }, $setOnInsert: { created: 'yes' } }, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).not.toBeNull();
    const second = await coll.updateOne({ key: 'k1', 'meta.src': 's' }, { $set: { v: 2 }, $setOnInsert: { created: 'again' } }, { upsert: true });
    expect([second.matchedCount, second.modifiedCount, second.upsertedCount]).toEqual([1, 1, 0]);
    expect(await coll.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({ key: 'k1', meta: { src: 's' }, v: 2, created: 'yes' });
  });

  it('replaces documents, keeps the _id and upserts replacements', async () => {
    const coll = await seeded('repl', [{ _id: 'a', x: 1, y: 2 }]);
    const r = await coll.replaceOne({ _id: 'a' }, { z: 3 });
    expect(r.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', z: 3 });
    const up = await coll.replaceOne({ _id: 'b' }, { z: 4 }, { upsert: true });
    expect(up.upsertedId).toBe('b');
    expect(await coll.findOne({ _id: 'b' })).toEqual({ _id: 'b', z: 4 });
  });

  it('refuses to change _id with ImmutableField (66)', async () => {
    const coll = await seeded('immut', [{ _id: 1, v: 1 }]);
    await expect(coll.updateOne({ _id: 1 }, { $set: { _id: 2 } })).rejects.toMatchObject({ name: 'MongoServerError', code: 66 });
    await expect(coll.replaceOne({ _id: 1 }, { _id: 3, v: 2 })).rejects.toMatchObject({ code: 66 });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, v: 1 });
  });

  it('applies pipeline-style updates', async () => {
    const coll = await seeded('pipeupd', [{ _id: 1, a: 2, b: 3 }]);
    await coll.updateOne({ _id: 1 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 2, sum: 5 });
  });
});

describe('unacknowledged writes', () => {
  it('applies w:0 writes sent with moreToCome and keeps the connection usable', async () => {
    const coll = conn.db.collection('fire');
    await coll.insertOne({ k: 1 }, { writeConcern: { w: 0 } });
    await coll.insertMany([{ k: 2 }, { k: 3 }], { writeConcern: { w: 0 } });
    let n = 0;
    for (let attempt = 0; attempt < 50 && n < 3; attempt++) n = await coll.countDocuments();
    expect(n).toBe(3);
  });
});

describe('delete', () => {
  it('deletes one or many documents', async () => {
    const coll = await seeded('del', [{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect((await coll.deleteMany({ g: 9 })).deletedCount).toBe(0);
    expect(await coll.countDocuments()).toBe(1);
  });
});

describe('findAndModify', () => {
  it('returns the before or after image, honours sort, removes and upserts', async () => {
    const coll = await seeded('fam', [{ _id: 1, q: 'a', n: 5 }, { _id: 2, q: 'a', n: 1 }]);
    const before = await coll.findOneAndUpdate({ q: 'a' }, { $inc: { n: 1 } }, { sort: { n: 1 }, returnDocument: 'before' });
    expect(before).toEqual({ _id: 2, q: 'a', n: 1 });
    const after = await coll.findOneAndUpdate({ _id: 1 }, { $set: { n: 50 } }, { returnDocument: 'after', projection: { n: 1 } });
    expect(after).toEqual({ _id: 1, n: 50 });
    const upserted = await coll.findOneAndUpdate({ _id: 3 }, { $set: { q: 'b' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(upserted.value).toEqual({ _id: 3, q: 'b' });
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 3 });
    const removed = await coll.findOneAndDelete({ q: 'a' }, { sort: { n: -1 } });
    expect(removed).toEqual({ _id: 1, q: 'a', n: 50 });
    const replaced = await coll.findOneAndReplace({ _id: 2 }, { r: true }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 2, r: true });
    expect(await coll.findOneAndDelete({ q: 'zzz' })).toBeNull();
  });
});
