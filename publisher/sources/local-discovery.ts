// Local fallback (GOLD_SPEC §1): `<dir>/<table>.parquet` as a single file (Pandas) or as a
// folder of part files (Spark), looked up in each LOCAL_GOLD_DIRS folder in order.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { localParquetFile } from './local-file.js';
import { isPartFileName, sortByName, tableEntryName } from './names.js';
import type { TableSource } from './types.js';

export type LocalLookup = { found: TableSource; note?: string } | { found: null; note?: string };

export async function findLocalTable(dir: string, table: string): Promise<LocalLookup> {
  const location = path.join(dir, tableEntryName(table));
  const info = await stat(location).catch(() => null);
  if (!info) return { found: null };
  if (info.isFile()) {
    const file = await localParquetFile(location);
    return { found: { table, origin: 'local', location, layout: 'file', files: [file] } };
  }
  if (!info.isDirectory()) return { found: null, note: `${location} is neither a file nor a folder; ignored` };
  const entries = await readdir(location, { withFileTypes: true });
  const parts = sortByName(entries.filter((e) => e.isFile() && isPartFileName(e.name)));
  if (parts.length === 0) {
    return { found: null, note: `${location}/ holds no part-*.parquet files; treated as absent` };
  }
  const files = await Promise.all(parts.map((e) => localParquetFile(path.join(location, e.name))));
  return { found: { table, origin: 'local', location, layout: 'folder', files } };
}
