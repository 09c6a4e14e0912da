// Namespace, index, statistics and handshake commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectTestDb } from '../../../test/support/mongo.js';
import type { TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;

beforeAll(async () => {
  conn = await connectTestDb('mts_ddl');
});
afterAll(async () => {
  await conn?.cleanup();
});

describe('collections and databases', () => {
  it('creates, lists (with filter and nameOnly) and drops collections', async () => {
    await conn.db.createCollection('alpha');
    await conn.db.collection('beta').insertOne({ x: 1 });
    const names = (await conn.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta']);
    const filtered = await conn.db.listCollections({ name: 'beta' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'beta', type: 'collection' });
    expect(await conn.db.collection('alpha').drop()).toBe(true);
    expect((await conn.db.listCollections().toArray()).map((c) => c.name)).toEqual(['beta']);
  });

  it('lists the database and drops it', async () => {
    const other = conn.client.db(`${conn.dbName.slice(0, 30)}_x`);
    await other.collection('c').insertOne({ a: 1 });
    const { databases } = await conn.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(other.databaseName);
    expect(await other.dropDatabase()).toBe(true);
    const after = await conn.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(other.databaseName);
  });

  it('renames a collection, replacing the target with dropTarget', async () => {
    await conn.db.collection('src').insertMany([{ v: 'new' }, { v: 'new' }]);
    await conn.db.collection('dst').insertOne({ v: 'old' });
    await expect(conn.db.collection('src').rename('dst')).rejects.toMatchObject({ code: 48 });
    await conn.db.collection('src').rename('dst', { dropTarget: true });
    expect(await conn.db.collection('dst').distinct('v')).toEqual(['new']);
    expect(await conn.db.collection('dst').countDocuments()).toBe(2);
    const names = (await conn.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('src');
  });

  it('never lets concurrent readers see the rename target missing', async () => {
    const target = conn.db.collection('live');
    await target.insertOne({ gen: 0 });
    const counts: number[] = [];
    let running = true;
    const reader = (async () => {
      while (running) counts.push(await target.countDocuments());
    })();
    for (let gen = 1; gen <= 15; gen++) {
      await conn.db.collection('staging').insertOne({ gen });
      await conn.db.collection('staging').rename('live', { dropTarget: true });
    }
    running = false;
    await reader;
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(await target.findOne({}, { projection: { _id: 0 } })).toEqual({ gen: 15 });
  });
});

describe('indexes', () => {
  it('creates, lists and drops indexes', async () => {
    const coll = conn.db.collection('idx');
    expect(await coll.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await coll.createIndexes([{ key: { u: 1 }, name: 'u_unique', unique: true }])).toEqual(['u_unique']);
    expect(await coll.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    const listed = await coll.listIndexes().toArray();
    expect(listed.map((i) => [i.name, i.key, i.unique ?? false])).toEqual([
      ['_id_', { _id: 1 }, false],
      ['a_1_b_-1', { a: 1, b: -1 }, false],
      ['u_unique', { u: 1 }, true],
    ]);
    await coll.dropIndex('a_1_b_-1');
    await expect(coll.dropIndex('nope')).rejects.toMatchObject({ code: 27, codeName: 'IndexNotFound' });
    await expect(coll.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('server commands', () => {
  it('answers ping, buildInfo, serverStatus, dbStats and collStats', async () => {
    const admin = conn.client.db('admin');
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const build = await admin.command({ buildInfo: 1 });
    expect(typeof build.version).toBe('string');
    expect(Array.isArray(build.versionArray)).toBe(true);
    const status = await admin.command({ serverStatus: 1 });
    expect(status.connections.current).toBeGreaterThan(0);
    await conn.db.collection('stats').insertMany([{ a: 1 }, { a: 2 }]);
    const db = await conn.db.command({ dbStats: 1 });
    expect(db.objects).toBeGreaterThanOrEqual(2);
    const coll = await conn.db.command({ collStats: 'stats' });
    expect(coll).toMatchObject({ ns: `${conn.dbName}.stats`, count: 2 });
    expect(coll.size).toBeGreaterThan(0);
  });

  it('answers hello as a writable primary with the limits the driver needs', async () => {
    const hello = await conn.client.db('admin').command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, minWireVersion: 0, maxWriteBatchSize: 100000, ok: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(typeof hello.connectionId).toBe('number');
    // Only our server must omit topologyVersion (a real mongod sends it).
    if (!inject('mongoIsReal')) expect(hello.topologyVersion).toBeUndefined();
  });

  it('accepts maxTimeMS', async () => {
    expect(await conn.db.collection('stats').find({}, { maxTimeMS: 5000 }).toArray()).toHaveLength(2);
    expect(await conn.db.collection('stats').aggregate([], { maxTimeMS: 5000 }).toArray()).toHaveLength(2);
  });
});
