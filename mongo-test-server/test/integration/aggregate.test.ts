// Aggregation stages through the driver, $sample without replacement, and stored documents
// staying untouched by pipelines that modify their inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError } from 'mongodb';
import type { Document } from 'mongodb';
import { connectTestDb } from '../../../test/support/mongo.js';
import type { TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;

const SALES = [
  { _id: 1, client: 1, produit: 'Four', montant: 100, tags: ['a', 'b'], when: new Date('2025-01-05T00:00:00Z') },
  { _id: 2, client: 1, produit: 'Lave-linge', montant: 300, tags: ['b'], when: new Date('2025-01-20T00:00:00Z') },
  { _id: 3, client: 2, produit: 'Four', montant: 50, tags: [], when: new Date('2025-02-01T00:00:00Z') },
  { _id: 4, client: 3, produit: 'Frigo', montant: 700, tags: ['c'], when: new Date('2025-02-11T00:00:00Z') },
  { _id: 5, client: 2, produit: 'Frigo', montant: 650, tags: ['a'], when: new Date('2025-03-02T00:00:00Z') },
];
const CLIENTS = [
  { _id: 1, nom: 'Ana', pays: 'France' },
  { _id: 2, nom: 'Bo', pays: 'Uk' },
  { _id: 3, nom: 'Cy', pays: 'France' },
];

beforeAll(async () => {
  conn = await connectTestDb('mts_aggregate');
  await conn.db.collection('sales').insertMany(SALES as Document[]);
  await conn.db.collection('clients').insertMany(CLIENTS as Document[]);
});
afterAll(async () => {
  await conn?.cleanup();
});

const sales = () => conn.db.collection('sales');

describe('aggregation stages', () => {
  it('$match $group $sort $project', async () => {
    const rows = await sales()
      .aggregate([
        { $match: { montant: { $gt: 60 } } },
        { $group: { _id: '$produit', ca: { $sum: '$montant' }, n: { $sum: 1 }, avg: { $avg: '$montant' } } },
        { $sort: { ca: -1 } },
        { $project: { _id: 0, produit: '$_id', ca: 1, n: 1, avg: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { ca: 1350, n: 2, avg: 675, produit: 'Frigo' },
      { ca: 300, n: 1, avg: 300, produit: 'Lave-linge' },
      { ca: 100, n: 1, avg: 100, produit: 'Four' },
    ]);
  });

  it('$addFields/$set $unset $skip $limit', async () => {
    const rows = await sales()
      .aggregate([{ $sort: { _id: 1 } }, { $addFields: { double: { $multiply: ['$montant', 2] } } }, { $set: { mois: { $dateToString: { format: '%Y-%m', date: '$when' } } } }, { $unset: ['tags', 'when', 'client'] }, { $skip: 1 }, { $limit: 2 }])
      .toArray();
    expect(rows).toEqual([
      { _id: 2, produit: 'Lave-linge', montant: 300, double: 600, mois: '2025-01' },
      { _id: 3, produit: 'Four', montant: 50, double: 100, mois: '2025-02' },
    ]);
  });

  it('$unwind and $count', async () => {
    const unwound = await sales().aggregate([{ $unwind: '$tags' }, { $sort: { _id: 1, tags: 1 } }, { $project: { _id: 1, tags: 1 } }]).toArray();
    expect(unwound.map((d) => `${d._id}${d.tags}`)).toEqual(['1a', '1b', '2b', '4c', '5a']);
    expect(await sales().aggregate([{ $match: { client: 2 } }, { $count: 'total' }]).toArray()).toEqual([{ total: 2 }]);
  });

  it('$facet and $bucket', async () => {
    const [facets] = await sales()
      .aggregate([
        {
          $facet: {
            total: [{ $group: { _id: null, s: { $sum: '$montant' } } }, { $project: { _id: 0 } }],
            buckets: [{ $bucket: { groupBy: '$montant', boundaries: [0, 200, 500, 1000], default: 'other', output: { n: { $sum: 1 } } } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({ total: [{ s: 1800 }], buckets: [{ _id: 0, n: 2 }, { _id: 200, n: 1 }, { _id: 500, n: 2 }] });
  });

  it('$lookup joins another collection', async () => {
    const rows = await sales()
      .aggregate([{ $match: { _id: { $in: [1, 3] } } }, { $lookup: { from: 'clients', localField: 'client', foreignField: '_id', as: 'c' } }, { $project: { _id: 1, pays: { $first: '$c.pays' } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(rows).toEqual([{ _id: 1, pays: 'France' }, { _id: 3, pays: 'Uk' }]);
  });

  it('$sort orders mixed BSON types the way MongoDB does', async () => {
    const mixed = conn.db.collection<{ _id: number; v?: unknown }>('mixed');
    await mixed.insertMany([{ _id: 1, v: 'text' }, { _id: 2, v: 5 }, { _id: 3, v: null }, { _id: 4 }, { _id: 5, v: { a: 1 } }, { _id: 6, v: true }, { _id: 7, v: new Date(0) }, { _id: 8, v: -1.5 }]);
    const order = (await mixed.aggregate([{ $sort: { v: 1, _id: 1 } }]).toArray()).map((d) => d._id);
    expect(order).toEqual([3, 4, 8, 2, 1, 5, 6, 7]);
    const viaFind = (await mixed.find({}, { sort: { v: -1, _id: 1 } }).toArray()).map((d) => d._id);
    expect(viaFind).toEqual([7, 6, 5, 1, 2, 8, 3, 4]);
  });
});

describe('$sample', () => {
  it('samples without replacement', async () => {
    const coll = conn.db.collection('sample');
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i })) as Document[]);
    for (let round = 0; round < 5; round++) {
      const ids = (await coll.aggregate([{ $sample: { size: 30 } }]).toArray()).map((d) => d._id as number);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    }
    const more = await coll.aggregate([{ $sample: { size: 100 } }]).toArray();
    expect(new Set(more.map((d) => d._id as number)).size).toBe(30);
    expect(more).toHaveLength(30);
  });
});

describe('stored documents', () => {
  it('are not modified by pipelines that write into nested paths of their inputs', async () => {
    const nested = conn.db.collection('nested');
    await nested.insertMany([{ k: 1, n: { a: 1, b: 2 }, tags: ['x', 'y'] }, { k: 2, n: { a: 3, b: 4 }, tags: [] }]);
    const before = await nested.find({}, { sort: { k: 1 } }).toArray();
    await nested.aggregate([{ $set: { 'n.a': 100, 'n.c': 1 } }]).toArray();
    await nested.aggregate([{ $addFields: { 'n.b': 0 } }, { $unset: 'n.a' }]).toArray();
    await nested.aggregate([{ $project: { 'n.b': 0 } }]).toArray();
    await nested.aggregate([{ $group: { _id: null, all: { $push: '$$ROOT' } } }, { $unwind: '$all' }, { $set: { 'all.k': 7, 'all.n.a': 7 } }]).toArray();
    await nested.aggregate([{ $sort: { k: 1 } }, { $set: { 'n.a': 6 } }, { $unwind: '$tags' }]).toArray();
    expect(await nested.find({}, { sort: { k: 1 } }).toArray()).toEqual(before);
  });

  it('are not modified by $set, $unwind, $addFields or $lookup pipelines', async () => {
    const before = await sales().find({}, { sort: { _id: 1 } }).toArray();
    await sales().aggregate([{ $set: { montant: 0, 'extra.x': 1 } }, { $unwind: '$tags' }]).toArray();
    await sales().aggregate([{ $match: { client: 1 } }, { $unwind: '$tags' }, { $addFields: { produit: 'changed' } }]).toArray();
    await sales().aggregate([{ $lookup: { from: 'clients', localField: 'client', foreignField: '_id', as: 'c' } }, { $unwind: '$c' }, { $set: { 'c.pays': 'X' } }]).toArray();
    expect(await sales().find({}, { sort: { _id: 1 } }).toArray()).toEqual(before);
    expect(await conn.db.collection('clients').find({}, { sort: { _id: 1 } }).toArray()).toEqual(CLIENTS);
  });

  it('are not modified by find or findAndModify projections excluding nested fields', async () => {
    const nested = conn.db.collection('nested_projection');
    await nested.insertOne({ _id: 1 as never, n: { a: 1, b: 2 }, t: ['x'] });
    expect(await nested.findOne({ _id: 1 as never }, { projection: { 'n.a': 0, t: 0 } })).toEqual({ _id: 1, n: { b: 2 } });
    expect(await nested.findOneAndUpdate({ _id: 1 as never }, { $set: { z: 1 } }, { projection: { 'n.b': 0 } })).toEqual({ _id: 1, n: { a: 1 }, t: ['x'] });
    expect(await nested.findOne({ _id: 1 as never })).toEqual({ _id: 1, n: { a: 1, b: 2 }, t: ['x'], z: 1 });
  });

  it('are not changed by mutating documents a previous read returned', async () => {
    const first = await sales().findOne({ _id: 1 as never });
    (first?.tags as string[]).push('mutated');
    expect((await sales().findOne({ _id: 1 as never }))?.tags).toEqual(['a', 'b']);
  });
});

describe('size limits', () => {
  it('answers a result document over 16 MiB with a server error and keeps serving', async () => {
    const big = conn.db.collection('big');
    const pad = 'x'.repeat(100_000);
    for (let i = 0; i < 4; i++) await big.insertMany(Array.from({ length: 50 }, (_, k) => ({ i: i * 50 + k, pad })));
    await expect(big.aggregate([{ $group: { _id: null, all: { $push: '$pad' } } }]).toArray()).rejects.toBeInstanceOf(MongoServerError);
    expect(await big.countDocuments()).toBe(200);
    // Smaller documents spread over several batches still arrive whole.
    expect(await big.find({}, { projection: { i: 1 } }).toArray()).toHaveLength(200);
  });
});
