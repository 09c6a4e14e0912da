// Reads the refresh benchmark written by `npm run bench:api` (data/metrics/refresh_benchmark.json).
// The file is read on every request: it is small, written rarely, and may appear after start-up.
import { readFile } from 'node:fs/promises';
import { AppError } from '../errors/app-error.js';
import { DASHBOARD_ERROR_CODES } from './errors.js';

/** Path shown to clients: relative, so responses never reveal the server's directory layout. */
export const BENCHMARK_RELATIVE_PATH = 'data/metrics/refresh_benchmark.json';

/**
 * Returns the parsed JSON. Absent file → 404 DASHBOARD_BENCHMARK_ABSENT; unreadable or invalid
 * JSON → 500 DASHBOARD_BENCHMARK_INVALID. The content is passed through as written: the page
 * accepts one run object or a list of runs.
 */
export async function readBenchmarkFile(absolutePath: string, shownPath: string = BENCHMARK_RELATIVE_PATH): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError(
        DASHBOARD_ERROR_CODES.DASHBOARD_BENCHMARK_ABSENT,
        `benchmark panel: ${shownPath} absent (run npm run bench:api to create it)`,
        { status: 404, details: { file: shownPath } },
      );
    }
    throw new AppError(DASHBOARD_ERROR_CODES.DASHBOARD_BENCHMARK_INVALID, `benchmark panel: cannot read ${shownPath} (${String(code)})`, {
      status: 500,
      details: { file: shownPath, errno: code },
      cause,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError(
      DASHBOARD_ERROR_CODES.DASHBOARD_BENCHMARK_INVALID,
      `benchmark panel: ${shownPath} is not valid JSON (${(cause as Error).message})`,
      { status: 500, details: { file: shownPath }, cause },
    );
  }
}
