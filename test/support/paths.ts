// Where test material lives: the repository, its DuckDB-written fixtures, and ../shared (the
// seed CSVs, GOLD_SPEC.md and the parquet-testing corpus beside the checkout, absent on a
// user's machine — tests that need it skip with a visible line, via sharedPath()).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_GOLD = path.join(REPO_ROOT, 'test', 'fixtures', 'gold');
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/**
 * A path under ../shared and whether it exists; when it does not, prints the skip line naming
 * `what` is skipped, so a run without ../shared says so instead of passing silently.
 */
export function sharedPath(what: string, ...parts: string[]): { readonly path: string; readonly present: boolean } {
  const full = path.join(SHARED_DIR, ...parts);
  const present = existsSync(full);
  if (!present) console.warn(`[skip] ${what}: ${full} is absent (no ../shared beside the checkout)`);
  return { path: full, present };
}
