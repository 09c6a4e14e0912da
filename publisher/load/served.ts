// Served copies: the API reads per-publish copies of the collections it serves, named
// `<servedPrefix><tag>__<collection>` and listed in the meta document. Renames swap the canonical
// collections (what Metabase reads) one at a time, so a reader combining several of them could
// see two publishes at once — and a publisher killed mid-swap would leave that mix behind. The
// API instead resolves every read through the meta document, whose single replaceOne switches
// all endpoints at once; copies of the two publishes before stay until the next run, so that
// in-flight requests and API processes that have not yet re-read the meta document finish on them.
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { SYSTEM_COLLECTIONS, apiCollections } from '../../src/catalog/gold-catalog.js';

const API_READ = new Set(apiCollections());

export const isServedByApi = (collection: string): boolean => API_READ.has(collection);

export const servedName = (tag: string, collection: string): string => `${SYSTEM_COLLECTIONS.servedPrefix}${tag}__${collection}`;

/** A short random tag per publish: copies of two publishes never share a name. */
export const newServedTag = (): string => randomBytes(4).toString('hex');

export function tagOf(name: string): string | null {
  if (!name.startsWith(SYSTEM_COLLECTIONS.servedPrefix)) return null;
  const rest = name.slice(SYSTEM_COLLECTIONS.servedPrefix.length);
  const end = rest.indexOf('__');
  return end > 0 ? rest.slice(0, end) : null;
}

/** Tags of the copies a meta document's `served` map refers to (they must not be dropped). */
export function referencedTags(served: Readonly<Record<string, string>> | undefined): string[] {
  return [...new Set(Object.values(served ?? {}).flatMap((name) => tagOf(name) ?? []))];
}

/** Drops every served copy whose tag is not kept; returns the names dropped. */
export async function dropServedExcept(db: Db, keep: readonly string[]): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  const doomed = all.map((c) => c.name).filter((name) => {
    const tag = tagOf(name);
    return tag !== null && !keep.includes(tag);
  });
  for (const name of doomed) await db.collection(name).drop().catch(() => false);
  return doomed;
}

/** Drops the copies of one publish (a failed run's own). */
export async function dropServedTag(db: Db, tag: string): Promise<void> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of all) if (tagOf(name) === tag) await db.collection(name).drop().catch(() => false);
}
