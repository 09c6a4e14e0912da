// Where things are for the reliability suite (roots from test/support/paths.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_GOLD, REPO_ROOT, SHARED_DIR } from '../paths.js';

export { FIXTURE_GOLD, REPO_ROOT };
export const FIXTURE_PANDAS = path.join(FIXTURE_GOLD, 'pandas');
export const FIXTURE_EXPECTED = path.join(FIXTURE_GOLD, 'expected');
export const SHARED_BAD_DATA = path.join(SHARED_DIR, 'data', 'parquet-testing', 'bad_data');
export const PUBLISHER_CLI = 'publisher/cli.ts';
export const API_MAIN = 'src/main.ts';

export const sharedBadDataExists = (): boolean => existsSync(SHARED_BAD_DATA);
