// The meta document `{ _id: 'current', ... }` in SYSTEM_COLLECTIONS.meta, written last, after
// the swap: its `version` and `published_at` tell the API (and caches) which publish is served.
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { SYSTEM_COLLECTIONS } from '../../src/catalog/gold-catalog.js';
import type { TableSource } from '../sources/types.js';

export const META_ID = 'current';
/** Version of the publisher's output format; part of the fingerprint, so a change republishes. */
export const PUBLISHER_VERSION = '1.0.0';

export interface FileMeta {
  readonly uri: string;
  readonly size: number;
  readonly version: string;
}

export interface TableMeta {
  readonly origin: 's3' | 'local';
  readonly location: string;
  readonly layout: 'file' | 'folder';
  readonly files: readonly FileMeta[];
  readonly rows: number;
  readonly rejected: number;
}

export interface MetaDocument {
  readonly _id: typeof META_ID;
  readonly version: string;
  readonly published_at: Date;
  readonly fingerprint: string;
  readonly tables: Readonly<Record<string, TableMeta>>;
  readonly collections: Readonly<Record<string, number>>;
  readonly missing: readonly string[];
  readonly timings_ms: Readonly<Record<string, number>>;
  readonly publisher_version: string;
  /** Tag of the API's served copies of this publish (see load/served.ts). */
  readonly served_tag: string;
  /** Canonical collection → the served copy the API reads for this publish. */
  readonly served: Readonly<Record<string, string>>;
  /**
   * Tags of the copies the publish before served (absent in documents older than this field):
   * kept by the next run too, for API processes whose last version check predates this publish.
   */
  readonly previous_served_tags?: readonly string[];
}

/**
 * Fingerprint of the inputs: every table's origin, location and files (uri, size, ETag/mtime),
 * plus the publisher version and the invalid-row policy (a skip publish differs from a strict one).
 */
export function fingerprint(sources: Iterable<TableSource>, onInvalid: string): string {
  const tables = [...sources]
    .sort((a, b) => (a.table < b.table ? -1 : 1))
    .map((s) => [s.table, s.origin, s.location, s.layout, s.files.map((f) => [f.uri, f.size, f.version])]);
  return createHash('sha256').update(JSON.stringify({ v: PUBLISHER_VERSION, onInvalid, tables })).digest('hex');
}

/** e.g. '2026-11-25T12:00:00.000Z-3f2a9c1b': changes on every publish that writes. */
export const versionOf = (publishedAt: Date, print: string): string => `${publishedAt.toISOString()}-${print.slice(0, 8)}`;

export async function readMeta(db: Db): Promise<MetaDocument | null> {
  return db.collection<MetaDocument>(SYSTEM_COLLECTIONS.meta).findOne({ _id: META_ID });
}

export async function writeMeta(db: Db, meta: MetaDocument): Promise<void> {
  await db.collection<MetaDocument>(SYSTEM_COLLECTIONS.meta).replaceOne({ _id: META_ID }, meta, { upsert: true });
}
