// Runs a TypeScript entry point as a child Node process (node --import tsx, so the pid IS the
// program: a SIGKILL hits it and not a wrapper), with an optional heap cap, a kill after a delay,
// a hard timeout, and RSS sampling from /proc (Linux) for peak-memory figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { REPO_ROOT } from './paths.js';

export interface NodeRunOptions {
  readonly args?: readonly string[];
  readonly env?: Record<string, string | undefined>;
  /** --max-old-space-size in MB. */
  readonly heapMb?: number;
  /** Send SIGKILL after this many ms (the random-moment crash). */
  readonly killAfterMs?: number;
  /**
   * Send SIGKILL `delayMs` after `pattern` first appears in the output: kills land inside the
   * program's work rather than in its (CPU-load dependent) start-up.
   */
  readonly killAfterMatch?: { readonly pattern: RegExp; readonly delayMs: number };
  /** Hard limit: SIGKILL and mark `timedOut` after this many ms. */
  readonly timeoutMs?: number;
}

export interface NodeRunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Highest VmHWM/VmRSS seen while sampling, in MB (0 when /proc is unavailable). */
  readonly peakRssMb: number;
  /** We killed it on purpose (killAfterMs) before it exited by itself. */
  readonly killed: boolean;
  readonly timedOut: boolean;
  /** ms from spawn until `killAfterMatch.pattern` first appeared (undefined: never). */
  readonly matchedAtMs: number | undefined;
}

/** Reads VmHWM (peak) or VmRSS of a live process in MB; undefined once it has gone. */
export async function readRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status) ?? /VmRSS:\s+(\d+) kB/.exec(status);
    return hwm?.[1] ? Number(hwm[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function nodeArgs(script: string, heapMb?: number): string[] {
  return [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', script];
}

/** Starts `script` (path relative to the repository) without waiting; env is merged over a minimal base. */
export function spawnNode(script: string, options: NodeRunOptions = {}): ChildProcess {
  return spawn(process.execPath, [...nodeArgs(script, options.heapMb), ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function runNode(script: string, options: NodeRunOptions = {}): Promise<NodeRunResult> {
  const started = performance.now();
  const child = spawnNode(script, options);
  let stdout = '';
  let stderr = '';
  let peak = 0;
  let exited = false;
  let killed = false;
  let matchedAtMs: number | undefined;
  const timers: NodeJS.Timeout[] = [];
  const watch = (): void => {
    const match = options.killAfterMatch;
    if (!match || matchedAtMs !== undefined || !(match.pattern.test(stdout) || match.pattern.test(stderr))) return;
    matchedAtMs = performance.now() - started;
    timers.push(
      setTimeout(() => {
        if (!exited) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, match.delayMs),
    );
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    watch();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    watch();
  });
  let timedOut = false;
  const pid = child.pid ?? -1;
  const sampler = setInterval(() => {
    void readRssMb(pid).then((mb) => {
      if (mb !== undefined) peak = Math.max(peak, mb);
    });
  }, 25);
  if (options.killAfterMs !== undefined) {
    timers.push(
      setTimeout(() => {
        if (!exited) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, options.killAfterMs),
    );
  }
  if (options.timeoutMs !== undefined) {
    timers.push(
      setTimeout(() => {
        if (!exited) {
          timedOut = true;
          child.kill('SIGKILL');
        }
      }, options.timeoutMs),
    );
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('exit', (c, s) => {
      exited = true;
      resolve([c, s]);
    });
  });
  clearInterval(sampler);
  for (const t of timers) clearTimeout(t);
  // Let the pipes drain.
  await new Promise((r) => setImmediate(r));
  return { code, signal, stdout, stderr, durationMs: performance.now() - started, peakRssMb: peak, killed, timedOut, matchedAtMs };
}
