// mongod's failCommand fail point and maxTimeMS: the faults the API's 503/504 and cut-export
// paths answer, provoked the same way on this server and on a real mongod with test commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { clientUnderFailPoint, connectTestDb } from '../../../test/support/mongo.js';
import type { FailPointSpec, TestDb } from '../../../test/support/mongo.js';

let conn: TestDb;

beforeAll(async () => {
  conn = await connectTestDb('mts_failpoints');
  await conn.db.collection('c').insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i })) as Document[]);
});
afterAll(async () => {
  await conn?.cleanup();
});

/** Runs `body` with a client the fail point targets; skips (visibly) without fail points. */
async function withFailPoint(ctx: { skip: () => void }, spec: FailPointSpec, body: (client: MongoClient) => Promise<void>) {
  const fault = await clientUnderFailPoint(ctx, conn.uri, spec);
  if (!fault) return;
  try {
    await body(fault.client);
  } finally {
    await fault.off();
  }
}

describe('the failCommand fail point', () => {
  it('fails the named command with the given code for the targeted client only', async (ctx) => {
    await withFailPoint(ctx, { failCommands: ['find'], errorCode: 50 }, async (client) => {
      await expect(client.db(conn.dbName).collection('c').findOne({})).rejects.toMatchObject({ code: 50, codeName: 'MaxTimeMSExpired' });
      // Other commands of that client, and every other client, are untouched.
      expect(await client.db(conn.dbName).collection('c').countDocuments()).toBe(30);
      expect(await conn.db.collection('c').findOne({ _id: 3 } as Document)).toEqual({ _id: 3 });
    });
  });

  it('fails a getMore halfway through a cursor', async (ctx) => {
    await withFailPoint(ctx, { failCommands: ['getMore'], errorCode: 50, times: 1 }, async (client) => {
      const cursor = client.db(conn.dbName).collection('c').find({}, { batchSize: 10, sort: { _id: 1 } });
      const seen: unknown[] = [];
      const error = await (async () => {
        try {
          for await (const doc of cursor) seen.push(doc._id);
        } catch (e) {
          return e as { code?: number };
        }
        return undefined;
      })();
      expect(seen).toHaveLength(10);
      expect(error?.code).toBe(50);
    });
  });

  it('stops after `times` activations', async (ctx) => {
    await withFailPoint(ctx, { failCommands: ['find'], errorCode: 2, times: 1 }, async (client) => {
      const c = client.db(conn.dbName).collection('c');
      await expect(c.findOne({})).rejects.toMatchObject({ code: 2 });
      expect(await c.findOne({ _id: 1 } as Document)).toEqual({ _id: 1 });
    });
  });

  it('closes the connection instead of answering with closeConnection', async (ctx) => {
    await withFailPoint(ctx, { failCommands: ['find'], closeConnection: true, times: 1 }, async (client) => {
      await expect(client.db(conn.dbName).collection('c').findOne({})).rejects.toMatchObject({ name: expect.stringMatching(/Network/) });
    });
  });

  it('may only be configured on the admin database', async () => {
    await expect(conn.db.command({ configureFailPoint: 'failCommand', mode: 'off' })).rejects.toMatchObject({ code: expect.any(Number) });
  });
});

describe('maxTimeMS', () => {
  it('lets a query that finishes in time through', async () => {
    expect(await conn.db.collection('c').find({}, { maxTimeMS: 60_000 }).toArray()).toHaveLength(30);
  });
});
