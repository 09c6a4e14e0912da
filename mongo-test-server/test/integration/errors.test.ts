// Error shapes as the driver sees them: E11000 with keyPattern/keyValue, bulk write errors,
// NamespaceNotFound/NamespaceExists, CommandNotFound, malformed input and unknown operators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { connectTestDb } from '../../../test/support/mongo.js';
import type { TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;

beforeAll(async () => {
  conn = await connectTestDb('mts_errors');
});
afterAll(async () => {
  await conn?.cleanup();
});

describe('duplicate keys', () => {
  it('rejects a duplicate _id with E11000 naming the collection, index and key', async () => {
    const coll = conn.db.collection('dupid');
    await coll.insertOne({ _id: 7 as never, v: 1 });
    const error = await coll.insertOne({ _id: 7 as never, v: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 7 } });
    expect((error as Error).message).toBe(`E11000 duplicate key error collection: ${conn.dbName}.dupid index: _id_ dup key: { _id: 7 }`);
  });

  it('enforces unique indexes and reports every failure of an unordered insertMany', async () => {
    const coll = conn.db.collection('dupidx');
    await coll.createIndex({ id: 1 }, { unique: true, name: 'id_unique' });
    await coll.insertOne({ id: 1 });
    const error = await coll.insertMany([{ id: 1 }, { id: 2 }, { id: 2 }, { id: 3 }], { ordered: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.insertedCount).toBe(2);
    const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(writeErrors.map((w) => [w.index, w.code])).toEqual([[0, 11000], [2, 11000]]);
    expect(writeErrors[0]?.errmsg).toBe(`E11000 duplicate key error collection: ${conn.dbName}.dupidx index: id_unique dup key: { id: 1 }`);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('stops an ordered insertMany at the first duplicate', async () => {
    const coll = conn.db.collection('duporder');
    await coll.createIndex({ k: 1 }, { unique: true });
    const error = await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect((error as MongoBulkWriteError).insertedCount).toBe(1);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('fails to build a unique index over duplicate data, and frees keys on delete and update', async () => {
    const coll = conn.db.collection('dupbuild');
    await coll.insertMany([{ s: 'a' }, { s: 'a' }]);
    await expect(coll.createIndex({ s: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    await coll.deleteOne({ s: 'a' });
    await coll.createIndex({ s: 1 }, { unique: true });
    await coll.updateOne({ s: 'a' }, { $set: { s: 'b' } });
    await coll.insertOne({ s: 'a' });
    await expect(coll.updateOne({ s: 'a' }, { $set: { s: 'b' } })).rejects.toMatchObject({ code: 11000, keyValue: { s: 'b' } });
  });

  it('treats a missing indexed field as null for uniqueness', async () => {
    const coll = conn.db.collection('dupnull');
    await coll.createIndex({ maybe: 1 }, { unique: true });
    await coll.insertOne({ other: 1 });
    await expect(coll.insertOne({ other: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { maybe: null } });
  });
});

describe('namespace and command errors', () => {
  it('answers NamespaceExists (48) when creating an existing collection', async () => {
    await conn.db.createCollection('twice');
    await expect(conn.db.createCollection('twice')).rejects.toMatchObject({ name: 'MongoServerError', code: 48, codeName: 'NamespaceExists' });
  });

  it('answers NamespaceNotFound (26) for indexes of a missing collection and renaming a missing one', async () => {
    await expect(conn.db.collection('missing').indexes()).rejects.toMatchObject({ code: 26, codeName: 'NamespaceNotFound' });
    await expect(conn.db.collection('missing').rename('other')).rejects.toMatchObject({ code: 26 });
  });

  it('answers CommandNotFound (59) for an unknown command', async () => {
    await expect(conn.db.command({ frobnicate: 1 })).rejects.toMatchObject({ name: 'MongoServerError', code: 59, codeName: 'CommandNotFound' });
  });

  it('rejects unknown query operators and malformed arguments with MongoServerErrors', async () => {
    const coll = conn.db.collection('malformed');
    await coll.insertOne({ a: 1 });
    await expect(coll.find({ a: { $frob: 1 } }).toArray()).rejects.toMatchObject({ name: 'MongoServerError', code: 2 });
    await expect(conn.db.command({ find: 'malformed', filter: 5 })).rejects.toBeInstanceOf(MongoServerError);
    await expect(conn.db.command({ aggregate: 'malformed', pipeline: [] })).rejects.toMatchObject({ code: 9, codeName: 'FailedToParse' });
    await expect(coll.updateOne({ a: 1 }, { $frob: { a: 2 } })).rejects.toBeInstanceOf(MongoServerError);
  });

  it('rejects unknown aggregation stages and expression operators', async () => {
    const coll = conn.db.collection('malformed');
    await expect(coll.aggregate([{ $frob: {} }]).toArray()).rejects.toMatchObject({ name: 'MongoServerError', code: 40324 });
    await expect(coll.aggregate([{ $project: { x: { $frob: '$a' } } }]).toArray()).rejects.toBeInstanceOf(MongoServerError);
  });
});
