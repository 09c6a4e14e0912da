// Timestamp strings read the same on every host: a naive ISO string is UTC (GOLD_SPEC §2) even
// in a process whose local time zone is not. TZ cannot be changed reliably inside a running
// process (V8 caches the zone), so a child process runs the parser under America/New_York.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths.js';

const SCRIPT = `
import { parseTimestamp, toEpochMs } from ${JSON.stringify(path.join(REPO_ROOT, 'publisher/normalise/values.ts'))};
console.log(JSON.stringify({
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  localWallClock: new Date(2025, 0, 20, 10, 58, 40).getTime(),
  naive: parseTimestamp('2025-01-20 10:58:40'),
  dateOnly: parseTimestamp('2025-01-20'),
  offset: parseTimestamp('2025-01-20T05:58:40-05:00'),
  slashes: toEpochMs('2025/01/20 10:58:40', 'ms'),
}));
`;

describe('timestamp strings under another time zone', () => {
  it('parse a naive ISO string as UTC and still reject the non-ISO form V8 would read as local time', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: REPO_ROOT,
      env: { ...process.env, TZ: 'America/New_York' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    const out = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const utc = Date.UTC(2025, 0, 20, 10, 58, 40);
    // The child really runs 5 hours behind UTC, so a local-time reading would show.
    expect(out.zone).toBe('America/New_York');
    expect(out.localWallClock).toBe(utc + 5 * 3_600_000);
    expect(out).toMatchObject({ naive: utc, dateOnly: Date.UTC(2025, 0, 20), offset: utc, slashes: { problem: 'type' } });
  });
});
