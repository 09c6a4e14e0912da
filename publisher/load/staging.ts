// Staging collections: every collection of a publish is first written as
// `<stagingPrefix><collection>`, indexed there, and only then swapped in. Leftovers of a crashed
// run are dropped at the start of the next one (under the lock, so never another live run's).
import type { Db } from 'mongodb';
import type { IndexSpec } from '../../src/catalog/gold-catalog.js';
import { SYSTEM_COLLECTIONS } from '../../src/catalog/gold-catalog.js';

export const stagingName = (collection: string): string => `${SYSTEM_COLLECTIONS.stagingPrefix}${collection}`;

export async function listStaging(db: Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.map((c) => c.name).filter((name) => name.startsWith(SYSTEM_COLLECTIONS.stagingPrefix));
}

/** Drops every staging collection; returns their names. */
export async function dropStaging(db: Db): Promise<string[]> {
  const names = await listStaging(db);
  for (const name of names) await db.collection(name).drop().catch(() => false);
  return names;
}

/** A fresh, empty collection `name` (so an empty table still replaces its collection). */
export async function createStaging(db: Db, name: string): Promise<void> {
  await db.collection(name).drop().catch(() => false);
  await db.createCollection(name);
}

/** Builds the catalog indexes on collection `name`, after the load (cheaper than during). */
export async function indexStaging(db: Db, name: string, indexes: readonly IndexSpec[]): Promise<void> {
  if (indexes.length === 0) return;
  await db.collection(name).createIndexes(
    indexes.map((ix) => ({ key: { ...ix.key }, name: ix.name, ...(ix.unique ? { unique: true } : {}) })),
  );
}
