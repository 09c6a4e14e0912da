// Integration-test access to MongoDB: the server global setup provides (our test server, or
// a real MongoDB when MONGO_URL is set), one fresh uniquely named database per call.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
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

export interface TargetedFailPoint {
  /** Connect with `{ appName }` for the fail point to apply to that client. */
  readonly appName: string;
  off(): Promise<void>;
}

/**
 * Arms mongod's `failCommand` fail point for clients named with the returned appName, or returns
 * undefined when the server has no fail points (a real mongod started without
 * `--setParameter enableTestCommands=1`): the caller skips, saying so.
 */
export async function armFailPoint(uri: string, spec: FailPointSpec): Promise<TargetedFailPoint | undefined> {
  const appName = `failpoint-${randomBytes(6).toString('hex')}`;
  const admin = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await admin.connect();
  const configure = (mode: unknown, data?: object) => admin.db('admin').command({ configureFailPoint: 'failCommand', mode, ...(data ? { data } : {}) });
  try {
    const { times, ...data } = spec;
    await configure(times === undefined ? 'alwaysOn' : { times }, { ...data, failCommands: [...data.failCommands], appName });
  } catch (error) {
    await admin.close();
    if ((error as { code?: number }).code === 59) return undefined; // CommandNotFound: no test commands
    throw error;
  }
  return {
    appName,
    async off() {
      try {
        await configure('off');
      } finally {
        await admin.close();
      }
    },
  };
}

export const NO_FAIL_POINTS =
  'the MongoDB server has no fail points (start mongod with --setParameter enableTestCommands=1): fault-injection test NOT run';
