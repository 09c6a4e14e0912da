// docker/healthcheck.js (the image's HEALTHCHECK) as a real process against a local HTTP server.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEPLOYMENT_FILES, REPO_ROOT } from './lib/repo-files.js';

const script = join(REPO_ROOT, DEPLOYMENT_FILES.healthcheck);

function probe(port: number, path?: string, timeoutMs = 4000): Promise<{ code: number; stdout: string }> {
  const args = path === undefined ? [script] : [script, path];
  const env = { PATH: process.env.PATH ?? '', PORT: String(port), HEALTHCHECK_TIMEOUT_MS: String(timeoutMs) };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout });
    });
  });
}

describe('docker/healthcheck.js', () => {
  let server: Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/hang') return; // never answers
      res.statusCode = req.url === '/readyz' ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('exits 0 when the probed path answers 200, probing /readyz by default', async () => {
    const result = await probe(port);
    expect(result.code).toBe(0);
    expect(seen.at(-1)).toBe('/readyz');
    expect(result.stdout).toContain(`GET /readyz on port ${port}: 200`);
  });

  test('exits 1 when the path answers 503', async () => {
    const result = await probe(port, '/not-ready');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('503');
  });

  test('exits 1 when nothing listens on PORT', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await probe(freePort)).code).toBe(1);
  });

  test('exits 1 when the server does not answer within the timeout', async () => {
    const result = await probe(port, '/hang', 300);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no answer within 300 ms');
  });
});
