// What the operator reads at the end: one human line, and the exit code.
import { isAppError } from '../src/errors/app-error.js';
import { INVALID_INPUT_STATUS } from './errors.js';
import type { PublishSummary } from './types.js';

export const EXIT = Object.freeze({ ok: 0, failure: 1, invalid: 2 } as const);

const fmt = (n: number): string => n.toLocaleString('en-US');

/** e.g. `published 9 tables, 23,663 rows (0 rejected) from local /…/data/gold in 1.4 s — version …`. */
export function humanLine(summary: PublishSummary, seconds: number): string {
  const tables = Object.entries(summary.tables);
  const rows = tables.reduce((n, [, t]) => n + t.rows, 0);
  const rejected = tables.reduce((n, [, t]) => n + t.rejected, 0);
  const origins = [...new Set(tables.map(([, t]) => t.origin))];
  const locations = [...new Set(tables.map(([, t]) => t.location.replace(/\/[^/]+\.parquet\/?$/, '')))];
  const source = origins.length > 0 ? ` from ${origins.join('+')} ${locations.join(', ')}` : '';
  const missing = summary.missing.length > 0 ? `; missing (previous collections kept): ${summary.missing.join(', ')}` : '';
  const secs = `${seconds.toFixed(1)} s`;
  switch (summary.status) {
    case 'unchanged':
      return `nothing changed: the inputs match the served version ${summary.version ?? '?'} (${secs}; --force republishes)`;
    case 'checked':
      return `${summary.valid ? 'check passed' : 'check FAILED'}: ${tables.length} tables, ${fmt(rows)} rows, ${fmt(rejected)} invalid${source} in ${secs}${missing}`;
    case 'published':
      return `published ${tables.length} tables, ${fmt(rows)} rows (${fmt(rejected)} rejected)${source} in ${secs}${missing} — version ${summary.version ?? '?'}`;
  }
}

export function exitCodeOf(error: unknown): number {
  return isAppError(error) && error.status === INVALID_INPUT_STATUS ? EXIT.invalid : EXIT.failure;
}
