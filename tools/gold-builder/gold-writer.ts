// Writes encoded gold tables in the layout of either producer (GOLD_SPEC §1):
// pandas → `<out>/<table>.parquet`; spark → `<out>/<table>.parquet/part-00000-<uuid>-c000.snappy.parquet`
// plus an empty `_SUCCESS`. Each file is written under a temporary name and renamed, so a reader
// never sees half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';

export const GOLD_LAYOUTS = Object.freeze(['pandas', 'spark'] as const);
export type GoldLayout = (typeof GOLD_LAYOUTS)[number];

export interface GoldFile {
  readonly table: string;
  /** Path relative to the output root, `/`-separated: also the object key under GOLD_PREFIX. */
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** The files a table becomes in `layout` (pure: names and contents only). */
export function layoutFiles(table: string, parquet: ArrayBuffer, layout: GoldLayout): GoldFile[] {
  const bytes = new Uint8Array(parquet);
  if (layout === 'pandas') return [{ table, key: `${table}.parquet`, bytes }];
  return [
    { table, key: `${table}.parquet/part-00000-${randomUUID()}-c000.snappy.parquet`, bytes },
    { table, key: `${table}.parquet/_SUCCESS`, bytes: new Uint8Array(0) },
  ];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Replaces the table's previous output (file or folder, whichever layout wrote it) with `files`.
 * Only `<out>/<table>.parquet` is ever removed.
 */
export async function writeTableFiles(outDir: string, table: string, files: readonly GoldFile[], layout: GoldLayout): Promise<void> {
  const target = join(outDir, `${table}.parquet`);
  try {
    await mkdir(outDir, { recursive: true });
    if (layout === 'pandas') {
      const file = files[0];
      if (!file) return;
      const temp = join(outDir, `.${table}.parquet.${process.pid}.tmp`);
      await writeFile(temp, file.bytes);
      if (await isDirectory(target)) await rm(target, { recursive: true, force: true });
      await rename(temp, target);
      return;
    }
    const temp = join(outDir, `.${table}.parquet.${process.pid}.tmpdir`);
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    for (const file of files) await writeFile(join(temp, file.key.slice(file.key.indexOf('/') + 1)), file.bytes);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    throw new AppError(TOOL_ERROR_CODES.WRITE_FAILED, `write gold table ${table} to ${target} failed: ${(error as Error).message}`, {
      status: 1,
      cause: error,
      details: { table, path: target },
    });
  }
}
