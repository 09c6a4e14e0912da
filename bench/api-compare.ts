// Throughput of the API next to its bare node:http baselines, as bench:api (2) and (2b) print it.
// Each round runs autocannon against every contender back to back (interleaved), and the API's
// ratio to a baseline is taken WITHIN the round, then the median over rounds: on this shared
// 2-vCPU machine the bare server alone swings between 20k and 45k req/s from one run to the next,
// so ratios of runs minutes apart mostly measure the neighbours. The order within a round rotates
// (round i starts with contender i mod n), so whatever a run inherits from the one before it
// (the previous server's log still being written back, a cooling cache) is not charged to the
// same contender every round. Before the rounds, each contender gets an uncounted warm-up run.
//
// Pinning (BENCH_PIN, on by default where `taskset` exists): every thread of the servers on CPU 0,
// autocannon on CPU 1. Unpinned, the client, the server and the server's own helper threads (the
// log writer's thread pool, GC) fight over both cores and the scheduler decides the result; pinned,
// each server gets one core and its helpers count against it. Same treatment for every contender.
//
// Server CPU per response (utime+stime of the server's process over the run ÷ responses) is
// measured in the same runs, because req/s alone does not say which side limited a run: one
// autocannon process on one core spends ~25–60 µs of CPU per response (measured with `time`:
// 3.3–3.5 s of CPU for a 3 s run at 17–22k req/s), as much as or more than a bare server (~21–28
// µs), so the bare servers' runs are partly client-bound (their process 50–90% busy) and their
// req/s understate what they could serve. The CPU ratio compares the two servers' cost per
// response, whatever limited the run.
import { spawnSync } from 'node:child_process';
import { autocannon, cpuMicros, median, pinProcess, type LoadResult } from './api-load.js';

export interface Contender {
  readonly name: string;
  readonly base: string;
  readonly pid: number;
  /** Request headers (e.g. a browser's Accept-Encoding). */
  readonly headers?: Record<string, string>;
}

export interface RouteComparison {
  /**
   * Per contender, the median over the rounds of req/s, p99 and the server's CPU time per
   * response (µs, utime+stime of its process), and the non-2xx count over all rounds.
   */
  readonly runs: ReadonlyArray<{ readonly rps: number; readonly p99: number; readonly cpuUs: number; readonly non2xx: number }>;
  /** Per contender after the first: median over rounds of (first contender's req/s ÷ its req/s). */
  readonly ratios: readonly number[];
  /**
   * Per contender after the first: median over rounds of (its CPU µs per response ÷ the first
   * contender's), i.e. the capacity ratio of the two servers whatever limited the run (see below).
   */
  readonly cpuRatios: readonly number[];
}

interface Run extends LoadResult {
  readonly cpuUs: number;
}

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = setting('BENCH_API_ROUNDS', 5);
const SECONDS = setting('BENCH_SECONDS', 3);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 10);
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 1);

export const PINNED = process.env.BENCH_PIN !== '0' && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
const CLIENT_CPU = PINNED ? 1 : undefined;

/** How (2)/(2b) are run, for the printed header. */
export function comparisonMethod(): string {
  return `${CONNECTIONS} connections × ${SECONDS} s, ${WARMUP_SECONDS} s warm-up each, then ${ROUNDS} interleaved rounds (order rotating), ratio = median of per-round ratios; ${PINNED ? 'servers pinned to CPU 0, autocannon to CPU 1 (BENCH_PIN=0: unpinned)' : 'unpinned'}`;
}

/** `min 0.71, median 0.80` of a list of ratios (one per endpoint). */
export function ratioSummary(ratios: readonly number[]): string {
  return `min ${Math.min(...ratios).toFixed(2)}, median ${median(ratios).toFixed(2)}`;
}

/** Pins every contender's process (when PINNED). */
export function pinContenders(contenders: readonly Contender[]): void {
  if (PINNED) for (const c of contenders) pinProcess(c.pid, 0);
}

export async function compareRoute(route: string, contenders: readonly Contender[]): Promise<RouteComparison> {
  // Warm-up, not counted: the first requests of a route run cold code (JIT) in the bare servers,
  // which start fresh, while the API has already answered the route.
  if (WARMUP_SECONDS > 0) for (const c of contenders) await autocannon(`${c.base}${route}`, WARMUP_SECONDS, CONNECTIONS, undefined, CLIENT_CPU, c.headers);
  const rounds: Run[][] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round: Run[] = new Array<Run>(contenders.length);
    for (let j = 0; j < contenders.length; j++) {
      const k = (i + j) % contenders.length;
      const c = contenders[k]!;
      const before = cpuMicros(c.pid);
      const load = await autocannon(`${c.base}${route}`, SECONDS, CONNECTIONS, undefined, CLIENT_CPU, c.headers);
      round[k] = { ...load, cpuUs: (cpuMicros(c.pid) - before) / load.total };
    }
    rounds.push(round);
  }
  const runs = contenders.map((_, k) => ({
    rps: median(rounds.map((r) => r[k]!.rps)),
    p99: median(rounds.map((r) => r[k]!.p99)),
    cpuUs: median(rounds.map((r) => r[k]!.cpuUs)),
    non2xx: rounds.reduce((sum, r) => sum + r[k]!.non2xx, 0),
  }));
  const ratios = contenders.slice(1).map((_, k) => median(rounds.map((r) => r[0]!.rps / r[k + 1]!.rps)));
  const cpuRatios = contenders.slice(1).map((_, k) => median(rounds.map((r) => r[k + 1]!.cpuUs / r[0]!.cpuUs)));
  return { runs, ratios, cpuRatios };
}
