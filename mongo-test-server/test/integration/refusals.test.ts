// What the test server refuses on purpose rather than answering wrongly. These describe the
// test server only (a real MongoDB answers them correctly), so they run against their own
// instance whatever MONGO_URL says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Long, MongoClient, MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { startMongoTestServer } from '../../src/index.js';
import type { MongoTestServer } from '../../src/index.js';

let server: MongoTestServer;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startMongoTestServer({ port: 0 });
  client = new MongoClient(server.uri);
  db = client.db('refusals');
  await db.collection<{ _id: number; big: Long; amount: Decimal128; plain: number }>('wide').insertMany([
    { _id: 1, big: Long.fromString('9007199254740993'), amount: Decimal128.fromString('10.10'), plain: 1 },
    { _id: 2, big: Long.fromNumber(5), amount: Decimal128.fromString('0.20'), plain: 2 },
  ]);
});
afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('Int64 and Decimal128', () => {
  it('keeps their BSON types on a round trip', async () => {
    const doc = await db.collection('wide').findOne({ _id: 1 as never }, { promoteLongs: false });
    expect(doc?.big).toBeInstanceOf(Long);
    expect((doc?.big as Long).toString()).toBe('9007199254740993');
    expect((doc?.amount as Decimal128).toString()).toBe('10.10');
  });

  it('refuses filters and aggregations that read fields holding them', async () => {
    await expect(db.collection('wide').find({ big: 5 }).toArray()).rejects.toBeInstanceOf(MongoServerError);
    await expect(db.collection('wide').aggregate([{ $group: { _id: null, s: { $sum: '$amount' } } }]).toArray()).rejects.toThrow(/Int64\/Decimal128/);
    await expect(db.collection('wide').updateOne({ _id: 1 as never }, { $inc: { big: 1 } })).rejects.toBeInstanceOf(MongoServerError);
    await expect(db.collection('wide').find({ plain: Long.fromNumber(1) }).toArray()).rejects.toBeInstanceOf(MongoServerError);
  });

  it('still answers requests that do not read them, and sorts them exactly', async () => {
    expect(await db.collection('wide').countDocuments({ plain: { $gte: 1 } })).toBe(2);
    const sorted = await db.collection('wide').find({}, { sort: { big: -1 }, projection: { _id: 1 } }).toArray();
    expect(sorted.map((d) => d._id as unknown as number)).toEqual([1, 2]);
  });
});

describe('unsupported features', () => {
  it('refuses $out, $merge and $setWindowFields', async () => {
    await expect(db.collection('wide').aggregate([{ $setWindowFields: { sortBy: { plain: 1 }, output: { r: { $rank: {} } } } }]).toArray()).rejects.toMatchObject({ code: 40324 });
    await expect(db.collection('wide').aggregate([{ $out: 'copy' }]).toArray()).rejects.toMatchObject({ code: 40324 });
    await expect(db.collection('wide').aggregate([{ $merge: { into: 'copy' } }]).toArray()).rejects.toMatchObject({ code: 40324 });
  });

  it('refuses transactions like a standalone mongod', async () => {
    const session = client.startSession();
    try {
      session.startTransaction();
      // The driver rewrites mongod's code-20 answer into its "does not support retryable writes" hint.
      const error = await db.collection('wide').insertOne({ _id: 9 as never }, { session }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error).toMatchObject({ originalError: { code: 20, codeName: 'IllegalOperation' } });
    } finally {
      await session.endSession();
    }
  });

  it('refuses views', async () => {
    await expect(db.createCollection('v', { viewOn: 'wide', pipeline: [] })).rejects.toMatchObject({ code: 115 });
  });
});
