// API fuzzing: ≥ 10,000 generated requests (fast-check) over every endpoint's query string and
// headers against the real API process over loopback. No 5xx, every 4xx is JSON with a code and
// without stack traces; a huge `limit` never yields more than the endpoint's maximum; oversized
// headers are refused with 431.
import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../src/catalog/gold-catalog.js';
import { connectTestDb } from '../support/mongo.js';
import { startApi, type ApiProcess } from '../support/reliability/api-process.js';
import { copyFixtureGold, makeTempDir, removeDir } from '../support/reliability/gold-dirs.js';
import { fuzzRequest, type FuzzRequest } from '../support/reliability/fuzz-requests.js';
import { describeRun, runPublisher } from '../support/reliability/publisher-cli.js';
import { printFigures, summarizeLatencies } from '../support/reliability/stats.js';
import { errorBodyProblem } from '../support/reliability/error-bodies.js';

const RUNS = 10_000;
const CONCURRENCY = 4;

describe('API fuzzing', () => {
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let api: ApiProcess;
  let dir: string;

  beforeAll(async () => {
    conn = await connectTestDb('rel_fuzz');
    dir = await makeTempDir('fuzz');
    await copyFixtureGold(dir);
    const run = await runPublisher({ mongoUri: conn.uri, dbName: conn.dbName, localDirs: [dir] });
    expect(run.code, describeRun(run)).toBe(0);
    api = await startApi({ MONGO_URI: conn.uri, MONGO_DB: conn.dbName, RATE_LIMIT_PER_MINUTE: '0' });
  });

  afterAll(async () => {
    await api?.stop();
    await conn?.cleanup();
    if (dir) await removeDir(dir);
  });

  it(`answers ${RUNS} generated requests without a 5xx, every 4xx being JSON with a code`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
    const requests = fc.sample(fuzzRequest, { numRuns: RUNS, seed });
    const byStatus: Record<string, number> = {};
    const latencies: number[] = [];
    const problems: string[] = [];
    let problemCount = 0;
    let next = 0;
    const one = async (r: FuzzRequest): Promise<void> => {
      const url = `${api.baseUrl}${r.path}${r.query ? `?${r.query}` : ''}`;
      const t0 = performance.now();
      let status = 0;
      let problem: string | undefined;
      try {
        const res = await fetch(url, { headers: r.headers, signal: AbortSignal.timeout(10_000) });
        const body = await res.text();
        status = res.status;
        if (status >= 500) problem = `${status} ${body.slice(0, 200)}`;
        else if (status >= 400) problem = errorBodyProblem(res.headers.get('content-type'), body);
      } catch (error) {
        problem = `no answer: ${String(error)}`;
      }
      latencies.push(performance.now() - t0);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (problem) {
        problemCount += 1;
        if (problems.length < 10) problems.push(`GET ${url.slice(api.baseUrl.length, 300)} headers=${JSON.stringify(r.headers).slice(0, 200)} → ${problem}`);
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const r = requests[next++];
          if (r) await one(r);
        }
      }),
    );
    const latency = summarizeLatencies(latencies);
    printFigures('api-fuzz', { seed, requests: latencies.length, problems: problemCount, statuses: byStatus, p50_ms: latency.p50, p99_ms: latency.p99, max_ms: latency.max, api_peak_rss_mb: Math.round(api.peakRssMb()) });
    expect(latencies.length).toBeGreaterThanOrEqual(RUNS);
    expect(byStatus['200'] ?? 0, 'some generated requests must be valid').toBeGreaterThan(100);
    expect(byStatus['400'] ?? 0, 'some generated requests must be refused').toBeGreaterThan(100);
    expect({ problemCount, problems }, `fast-check seed ${seed} (FUZZ_SEED=${seed} to replay)`).toEqual({ problemCount: 0, problems: [] });
  });

  it('never returns more rows than the endpoint maximum for a huge limit', async () => {
    const outcomes: Record<string, string> = {};
    for (const d of DATASETS) {
      if (!d.endpoint) continue;
      for (const limit of [String(d.endpoint.maxLimit + 1), '1000000000', '1e12', '99999999999999999999']) {
        const res = await fetch(`${api.baseUrl}${d.endpoint.path}?limit=${limit}`, { signal: AbortSignal.timeout(10_000) });
        const body = await res.text();
        if (res.status === 200) {
          const rows = (JSON.parse(body) as { data: unknown[] }).data.length;
          expect(rows, `${d.endpoint.path}?limit=${limit}`).toBeLessThanOrEqual(d.endpoint.maxLimit);
          outcomes[d.endpoint.path] = 'capped';
        } else {
          expect(res.status, `${d.endpoint.path}?limit=${limit}: ${body}`).toBe(400);
          expect(JSON.parse(body), `${d.endpoint.path}?limit=${limit}`).toMatchObject({ code: expect.any(String), details: { parameter: 'limit' } });
          outcomes[d.endpoint.path] = '400';
        }
      }
    }
    printFigures('api-huge-limit', outcomes);
  });

  it('refuses oversized request headers with 431', async () => {
    // The server answers 431 and closes as soon as the headers pass its limit, while the client
    // is still sending. Bytes it has not read when it closes make the kernel reset the connection,
    // and a reset can discard the answer before the client reads it. So the probe sends 8 KiB
    // pieces a few milliseconds apart (the server reads each before the next arrives) and stops
    // at the first answer; an attempt that still ends in a reset with no answer at all (a slow
    // read on a busy machine) is tried again, twice at most — a server that never answers 431
    // fails every attempt.
    const attempt = (headerBytes: number) =>
      new Promise<string>((resolve) => {
        const socket = connect(api.port, '127.0.0.1');
        let data = '';
        socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
        socket.on('data', (d) => (data += d.toString('latin1')));
        socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server has answered
        socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
        const request = `GET /kpis HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(headerBytes)}\r\nConnection: close\r\n\r\n`;
        const send = (offset: number): void => {
          if (data || socket.destroyed || offset >= request.length) return;
          socket.write(request.slice(offset, offset + 8192), () => setTimeout(() => send(offset + 8192), 5));
        };
        socket.on('connect', () => send(0));
      });
    const statusFor = async (headerBytes: number): Promise<string> => {
      let line = '';
      for (let i = 0; i < 3 && line === ''; i++) line = await attempt(headerBytes);
      return line;
    };
    const lines: Record<string, string> = {};
    for (const size of [20_000, 100_000, 1_000_000]) {
      const line = await statusFor(size);
      lines[size] = line;
      expect(line, `${size}-byte header`).toMatch(/^HTTP\/1\.1 431 /);
    }
    // The process is still serving afterwards.
    expect((await fetch(`${api.baseUrl}/livez`)).status).toBe(200);
    printFigures('api-oversized-headers', lines);
  });

  it('rejects operator injection in parameter names and values with a 400 naming the parameter', async () => {
    for (const q of ['limit[$gt]=1', 'sort[$where]=1', 'limit=%7B%22%24gt%22%3A0%7D', 'sort=%24where:asc', 'fields=%24where']) {
      const res = await fetch(`${api.baseUrl}/scores?${q}`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      expect(res.status, `${q}: ${body}`).toBe(400);
      expect(errorBodyProblem(res.headers.get('content-type'), body), q).toBeUndefined();
    }
  });
});
