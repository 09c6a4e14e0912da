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
import { spawnSync } from 'node:child_process';
import { autocannon, median, pinProcess, type LoadResult } from './api-load.js';

export interface Contender {
  readonly name: string;
  readonly base: string;
  readonly pid: number;
  /** Request headers (e.g. a browser's Accept-Encoding). */
  readonly headers?: Record<string, string>;
}

export interface RouteComparison {
  /** Per contender, the median req/s and p99 over the rounds and the non-2xx count over all. */
  readonly runs: ReadonlyArray<{ readonly rps: number; readonly p99: number; readonly non2xx: number }>;
  /** Per contender after the first: median over rounds of (first contender's req/s ÷ its req/s). */
  readonly ratios: readonly number[];
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

/** Pins every contender's process (when PINNED). */
export function pinContenders(contenders: readonly Contender[]): void {
  if (PINNED) for (const c of contenders) pinProcess(c.pid, 0);
}

export async function compareRoute(route: string, contenders: readonly Contender[]): Promise<RouteComparison> {
  // Warm-up, not counted: the first requests of a route run cold code (JIT) in the bare servers,
  // which start fresh, while the API has already answered the route.
  if (WARMUP_SECONDS > 0) for (const c of contenders) await autocannon(`${c.base}${route}`, WARMUP_SECONDS, CONNECTIONS, undefined, CLIENT_CPU, c.headers);
  const rounds: LoadResult[][] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round: LoadResult[] = new Array<LoadResult>(contenders.length);
    for (let j = 0; j < contenders.length; j++) {
      const k = (i + j) % contenders.length;
      const c = contenders[k]!;
      round[k] = await autocannon(`${c.base}${route}`, SECONDS, CONNECTIONS, undefined, CLIENT_CPU, c.headers);
    }
    rounds.push(round);
  }
  const runs = contenders.map((_, k) => ({
    rps: median(rounds.map((r) => r[k]!.rps)),
    p99: median(rounds.map((r) => r[k]!.p99)),
    non2xx: rounds.reduce((sum, r) => sum + r[k]!.non2xx, 0),
  }));
  const ratios = contenders.slice(1).map((_, k) => median(rounds.map((r) => r[0]!.rps / r[k + 1]!.rps)));
  return { runs, ratios };
}
