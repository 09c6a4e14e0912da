// Integration-test access to MongoDB: the server global setup provides (our test server, or
// a real MongoDB when MONGO_URL is set), one fresh uniquely named database per call.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Db, MongoClientOptions } from 'mongodb';
import { inject } from 'vitest';

export interface TestDb {
  client: MongoClient;
  db: Db;
  dbName: string;
  uri: string;
  /** Drops the database and closes the client. Safe to call twice. */
  cleanup(): Promise<void>;
}

const MAX_DB_NAME_LENGTH = 38;
const SUFFIX_LENGTH = 8;

/** `label` reduced to characters valid in a database name, plus a random suffix (≤ 38 chars). */
export function testDbName(label: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'test';
  const suffix = randomBytes(SUFFIX_LENGTH).toString('hex').slice(0, SUFFIX_LENGTH);
  const head = safe.slice(0, MAX_DB_NAME_LENGTH - SUFFIX_LENGTH - 1);
  return `${head}_${suffix}`;
}

export async function connectTestDb(label: string): Promise<TestDb> {
  const uri = inject('mongoUrl');
  const dbName = testDbName(label);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(dbName);
  let cleaned = false;
  return {
    client,
    db,
    dbName,
    uri,
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** A `failCommand` fail point aimed at one client (by appName), so parallel tests are not hit. */
export interface FailPointSpec {
  readonly failCommands: readonly string[];
  readonly errorCode?: number;
  readonly closeConnection?: boolean;
  /** Activations before it switches itself off (default: until `off()`). */
  readonly times?: number;
}

export interface ClientUnderFault {
  /** Connected lazily like any client; its appName is the one the fail point targets. */
  readonly client: MongoClient;
  /** Closes the client and disarms the fail point. */
  off(): Promise<void>;
}

/**
 * Arms mongod's `failCommand` fail point for a new client of its own (`options` added) and
 * returns both; or skips the test, saying so, when the server has no fail points (a real mongod
 * started without `--setParameter enableTestCommands=1`) and returns undefined.
 */
export async function clientUnderFailPoint(ctx: { skip(): void }, uri: string, spec: FailPointSpec, options: MongoClientOptions = {}): Promise<ClientUnderFault | undefined> {
  const appName = `failpoint-${randomBytes(6).toString('hex')}`;
  const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await admin.connect();
  const configure = (mode: unknown, data?: object) => admin.db('admin').command({ configureFailPoint: 'failCommand', mode, ...(data ? { data } : {}) });
  try {
    const { times, ...data } = spec;
    await configure(times === undefined ? 'alwaysOn' : { times }, { ...data, failCommands: [...data.failCommands], appName });
  } catch (error) {
    await admin.close();
    if ((error as { code?: number }).code !== 59) throw error; // CommandNotFound: no test commands
    console.warn('[mongo] the MongoDB server has no fail points (start mongod with --setParameter enableTestCommands=1): fault-injection test NOT run');
    ctx.skip();
    return undefined;
  }
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, retryReads: false, ...options, appName });
  return {
    client,
    async off() {
      try {
        await client.close();
        await configure('off');
      } finally {
        await admin.close();
      }
    },
  };
}
