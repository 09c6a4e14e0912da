// Database outage: our OWN MongoDB test server is stopped under load. Data endpoints and /readyz
// must answer 503 within 3 s (no hanging request), /livez stays 200; when the server comes back
// on the same port with the same store, the API recovers by itself and serves the same data.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer } from '../../mongo-test-server/src/index.js';
import { freePort, startApi, type ApiProcess } from '../support/reliability/api-process.js';
import { copyFixtureGold, makeTempDir, removeDir } from '../support/reliability/gold-dirs.js';
import { errorBodyProblem, leakProblem } from '../support/reliability/error-bodies.js';
import { startLoad, type ResponseSample } from '../support/reliability/load.js';
import { describeRun, runPublisher } from '../support/reliability/publisher-cli.js';
import { matchDataset, takeSnapshot, type Snapshot } from '../support/reliability/snapshots.js';
import { printFigures, round, summarizeLatencies } from '../support/reliability/stats.js';
import { sleep, waitUntil } from '../support/reliability/wait.js';

const DATA_PATHS = ['/kpis', '/monthly', '/scores', '/daily', '/segments'] as const;
const BOUND_MS = 3_000;
const OUTAGE_MS = 7_000;
const DB_NAME = 'rel_outage';

type MongoServer = Awaited<ReturnType<typeof startMongoTestServer>>;

describe('MongoDB outage under load', () => {
  let mongo: MongoServer;
  let port: number;
  let api: ApiProcess;
  let dir: string;
  let snapshot: Snapshot;

  beforeAll(async () => {
    port = await freePort();
    mongo = await startMongoTestServer({ port });
    dir = await makeTempDir('outage');
    await copyFixtureGold(dir);
    const run = await runPublisher({ mongoUri: mongo.uri, dbName: DB_NAME, localDirs: [dir] });
    expect(run.code, describeRun(run)).toBe(0);
    api = await startApi({ MONGO_URI: mongo.uri, MONGO_DB: DB_NAME });
    snapshot = await takeSnapshot(api.baseUrl, DATA_PATHS);
  });

  afterAll(async () => {
    await api?.stop();
    await mongo?.stop();
    if (dir) await removeDir(dir);
  });

  it('answers 503 within 3 s while MongoDB is down, keeps /livez at 200, and recovers by itself', async () => {
    const samples: ResponseSample[] = [];
    const load = startLoad({
      baseUrl: api.baseUrl,
      paths: [...DATA_PATHS, '/readyz', '/livez'],
      concurrency: 6,
      requestTimeoutMs: 15_000,
      check: () => undefined, // judged on the timeline below
      onSample: (s) => samples.push(s),
    });
    let stoppedAt = 0;
    let restartedAt = 0;
    let recoveryMs: number;
    try {
      await sleep(2_500);
      stoppedAt = performance.now();
      await mongo.stop();
      await sleep(OUTAGE_MS);
      mongo = await startMongoTestServer({ port, store: mongo.store });
      restartedAt = performance.now();
      recoveryMs = await waitUntil(
        'the API to serve every data endpoint and /readyz again',
        async () => {
          const ready = await fetch(`${api.baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
          await ready.arrayBuffer();
          if (ready.status !== 200) return false;
          for (const p of DATA_PATHS) {
            const res = await fetch(api.baseUrl + p, { signal: AbortSignal.timeout(5_000) });
            if (res.status !== 200 || matchDataset(p, await res.text(), { before: snapshot }) !== 'before') return false;
          }
          return true;
        },
        60_000,
        100,
      );
      await sleep(1_000);
    } finally {
      load.stop();
    }
    const result = await load.done;

    const before = samples.filter((s) => s.startedAt + s.latencyMs < stoppedAt);
    const during = samples.filter((s) => s.startedAt >= stoppedAt && s.startedAt < restartedAt);
    const isData = (s: ResponseSample) => (DATA_PATHS as readonly string[]).includes(s.path);
    const firstStatus = (path: string, status: number) => {
      const hit = during.filter((s) => s.path === path && s.status === status).sort((a, b) => a.startedAt - b.startedAt)[0];
      return hit ? hit.startedAt + hit.latencyMs - stoppedAt : Number.POSITIVE_INFINITY;
    };
    const timeTo503: Record<string, number> = {};
    const duringByPath: Record<string, Record<number, number>> = {};
    for (const p of [...DATA_PATHS, '/readyz']) timeTo503[p] = round(firstStatus(p, 503), 0);
    for (const s of during) {
      const counts = (duringByPath[s.path] ??= {});
      counts[s.status] = (counts[s.status] ?? 0) + 1;
    }
    const duringLatency = summarizeLatencies(during.map((s) => s.latencyMs));
    const slow = during.filter((s) => s.path !== '/livez' && s.latencyMs > BOUND_MS);
    // Requests that were still waiting when MongoDB came back may legitimately succeed.
    const lateNon503 = during.filter(
      (s) => s.path !== '/livez' && s.startedAt > stoppedAt + BOUND_MS && s.startedAt + s.latencyMs < restartedAt && s.status !== 503,
    );
    const livezBad = samples.filter((s) => s.path === '/livez' && s.status !== 200);
    const noAnswer = samples.filter((s) => s.status === 0 || s.status >= 500 && s.status !== 503);
    // Outage answers are errors like any other: JSON with a code, nothing internal in them.
    const badBodies = during.flatMap((s) => {
      if (s.status !== 503) return [];
      const problem = isData(s) ? errorBodyProblem(s.headers?.get('content-type') ?? null, s.body) : leakProblem(s.body);
      return problem ? [`${s.path}: ${problem}`] : [];
    });
    const wrong200 = samples.filter((s) => isData(s) && s.status === 200 && matchDataset(s.path, s.body, { before: snapshot }) !== 'before');

    // RELIABILITY_TIMELINE=file writes every request (start relative to the stop, latency, path, status).
    if (process.env.RELIABILITY_TIMELINE) {
      const lines = samples.map((s) => `${Math.round(s.startedAt - stoppedAt)}\t${Math.round(s.latencyMs)}\t${s.path}\t${s.status}\t${s.body.slice(0, 100)}`);
      writeFileSync(process.env.RELIABILITY_TIMELINE, `${lines.join('\n')}\n`);
    }
    printFigures('database-outage', {
      requests: result.requests,
      before: before.length,
      during_outage: during.length,
      during_p50_ms: duringLatency.p50,
      during_p99_ms: duringLatency.p99,
      during_max_ms: duringLatency.max,
      time_to_503_ms: Object.fromEntries(Object.entries(timeTo503).map(([p, ms]) => [p, Number.isFinite(ms) ? ms : 'never'])),
      during_statuses_by_path: duringByPath,
      recovery_ms_after_restart: round(recoveryMs, 0),
      statuses: result.byStatus,
      api_peak_rss_mb: round(api.peakRssMb()),
    });

    expect.soft(before.length, 'baseline requests before the outage').toBeGreaterThan(10);
    expect.soft(before.filter((s) => s.status !== 200).map((s) => `${s.path} ${s.status}`), 'baseline').toEqual([]);
    expect.soft(during.length, 'requests during the outage').toBeGreaterThan(20);
    for (const [p, ms] of Object.entries(timeTo503)) expect.soft(ms, `time to the first 503 on ${p}`).toBeLessThanOrEqual(BOUND_MS);
    expect.soft(slow.map((s) => `${s.path} ${Math.round(s.latencyMs)} ms → ${s.status}`), 'requests slower than 3 s during the outage').toEqual([]);
    expect.soft(lateNon503.map((s) => `${s.path} → ${s.status}`), 'non-503 answers more than 3 s into the outage').toEqual([]);
    expect.soft(livezBad.map((s) => `${s.status} ${s.error ?? ''}`), '/livez must stay 200').toEqual([]);
    expect.soft(noAnswer.map((s) => `${s.path} → ${s.status} ${s.error ?? s.body.slice(0, 120)}`), 'hung, dropped or 5xx-other-than-503').toEqual([]);
    expect.soft([...new Set(badBodies)], '503 bodies during the outage').toEqual([]);
    expect.soft(wrong200.map((s) => s.path), '200 answers with data other than the published data').toEqual([]);
    expect.soft(Number.isFinite(recoveryMs)).toBe(true);
  });
});
