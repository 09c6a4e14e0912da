// For tests of publishes that must fail: a test database with the fixtures published (the
// "last good publish"), the AppError a failed publish rejects with, and the check that the
// failure left that publish served — meta, every collection, no staging, and no lock.
import { afterAll, beforeAll, expect } from 'vitest';
import { DATASETS, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { isAppError, type AppError } from '../../../src/errors/app-error.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { snapshot } from './gold-inputs.js';

export interface ServedBaseline {
  /** The test database (set once the file's beforeAll ran). */
  readonly t: TestDb;
  /** The previous publish is still served: meta, every collection, no staging, no lock left. */
  expectStillServed(): Promise<void>;
  /** Publishes the fixtures again as the new baseline (after a test that published something else). */
  republish(): Promise<void>;
}

/** Registers the file's beforeAll/afterAll: a database named after `label`, the fixtures published. */
export function servedBaseline(label: string): ServedBaseline {
  let t: TestDb | undefined;
  let version: string | null = null;
  let served: unknown[] = [];
  const publish = async (gold: TestDb): Promise<void> => {
    version = (await publishFixtures(gold.db)).version;
    served = await Promise.all(DATASETS.map((d) => snapshot(gold.db, d.collection, true)));
  };
  beforeAll(async () => {
    t = await connectTestDb(label);
    await publish(t);
  });
  afterAll(async () => {
    await t?.cleanup();
  });
  const db = () => {
    if (!t) throw new Error('servedBaseline: used before its beforeAll ran');
    return t;
  };
  return {
    get t() {
      return db();
    },
    republish: () => publish(db()),
    async expectStillServed() {
      const { db: gold } = db();
      expect((await gold.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never }))?.version).toBe(version);
      expect(await Promise.all(DATASETS.map((d) => snapshot(gold, d.collection, true)))).toEqual(served);
      const names = (await gold.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names.filter((n) => n.startsWith(SYSTEM_COLLECTIONS.stagingPrefix))).toEqual([]);
      expect(await gold.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
    },
  };
}

/** The AppError `promise` (a publish) rejects with; fails the test if it resolves or throws anything else. */
export async function publishFailure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error('the publish was expected to fail'),
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw error;
  return error;
}
