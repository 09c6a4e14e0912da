// The swap: each staging collection replaces its live collection with one renameCollection
// (dropTarget: true), which MongoDB performs atomically per collection. A reader therefore sees,
// for every collection, either the complete old or the complete new one — never an empty or
// partial one. Between two renames, collections already swapped are new and the others still
// old; the meta document (written after the last rename) is what tells readers a publish is
// complete. A crash mid-swap leaves some collections new, some old and the old meta: the next
// run re-publishes everything (its fingerprint differs from the old meta's).
import type { Db } from 'mongodb';
import { stagingName } from './staging.js';

export async function swapIn(db: Db, collections: readonly string[], onSwapped?: (collection: string) => void): Promise<void> {
  for (const collection of collections) {
    await db.renameCollection(stagingName(collection), collection, { dropTarget: true });
    onSwapped?.(collection);
  }
}
