// Where things are: the repository root, the DuckDB-written fixtures and the shared data folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURE_GOLD = path.join(REPO_ROOT, 'test/fixtures/gold');
export const FIXTURE_PANDAS = path.join(FIXTURE_GOLD, 'pandas');
export const FIXTURE_EXPECTED = path.join(FIXTURE_GOLD, 'expected');
export const SHARED_BAD_DATA = path.resolve(REPO_ROOT, '../shared/data/parquet-testing/bad_data');
export const PUBLISHER_CLI = 'publisher/cli.ts';
export const API_MAIN = 'src/main.ts';

export const sharedBadDataExists = (): boolean => existsSync(SHARED_BAD_DATA);
