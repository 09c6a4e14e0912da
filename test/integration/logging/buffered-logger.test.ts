// The API's buffered logger (64 KiB blocks, src/logging/block-writer.ts) in a real process:
// every line reaches stdout, whole and in order, including those still buffered at exit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths.js';

const SCRIPT = `
import { createLogger } from ${JSON.stringify(path.join(REPO_ROOT, 'src/logging/logger.ts'))};
import { createAccessLine } from ${JSON.stringify(path.join(REPO_ROOT, 'src/logging/access-line.ts'))};
const logger = createLogger({ level: 'info', buffered: { flushMs: 60000 } }).child({ module: 'api' });
const access = createAccessLine(logger, 'request completed (front cache)');
for (let i = 0; i < 5000; i++) {
  if (i % 2) access('id-' + i, 'GET', '/kpis?n=' + i, 200);
  else if (i % 1000 === 500) logger.info({ n: i, text: '€😀'.repeat(20000) }, 'longer than a block');
  else logger.info({ n: i, text: 'é"\\\\' }, 'line');
}
logger.info({ n: 5000 }, 'last');
process.exit(0);
`;

describe('buffered logger', () => {
  it('writes every line, in order, and flushes what is still buffered when the process exits', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5001);
    const parsed = lines.map((l) => JSON.parse(l) as { n?: number; req?: { id: string; url: string }; text?: string; msg: string });
    parsed.forEach((line, i) => {
      if (i % 2 && i < 5000) expect(line.req).toEqual({ id: `id-${i}`, method: 'GET', url: `/kpis?n=${i}` });
      else expect(line.n).toBe(i);
    });
    expect(parsed[0]!.text).toBe('é"\\');
    expect(parsed[500]!.text).toBe('€😀'.repeat(20000));
    expect(parsed.at(-1)!.msg).toBe('last');
  });
});
