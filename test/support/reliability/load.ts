// Closed-loop load generator over loopback: `concurrency` workers each issue one request at a time,
// round-robin over `paths`, until `stop()` is called, `durationMs` elapses or `maxRequests` is reached.
// Every response goes through `check`, which classifies it; nothing is retried.
import { summarizeLatencies, type LatencySummary } from './stats.js';

export interface ResponseSample {
  readonly path: string;
  readonly status: number; // 0 = network error or timeout
  readonly body: string;
  readonly headers: Headers | undefined;
  readonly startedAt: number; // performance.now() when the request was sent
  readonly latencyMs: number;
  readonly error?: string;
}

/** Returns undefined when the response is fine, else a short reason (counted and kept as an example). */
export type ResponseCheck = (sample: ResponseSample) => string | undefined;

export interface LoadOptions {
  readonly baseUrl: string;
  readonly paths: readonly string[];
  readonly concurrency: number;
  readonly check: ResponseCheck;
  readonly durationMs?: number;
  readonly maxRequests?: number;
  readonly requestTimeoutMs?: number;
  readonly headers?: Record<string, string>;
  /** Called with every sample (e.g. to build a timeline). */
  readonly onSample?: (sample: ResponseSample) => void;
}

export interface LoadResult {
  readonly requests: number;
  readonly failures: number;
  readonly failureReasons: Record<string, number>;
  readonly failureExamples: readonly string[];
  readonly byStatus: Record<string, number>;
  readonly latency: LatencySummary;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
}

export interface LoadRun {
  stop(): void;
  readonly done: Promise<LoadResult>;
}

export function startLoad(options: LoadOptions): LoadRun {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.baseUrl)) throw new Error(`load generator is loopback-only, got ${options.baseUrl}`);
  let stopped = false;
  let issued = 0;
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const failureReasons: Record<string, number> = {};
  const failureExamples: string[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const max = options.maxRequests ?? Infinity;

  const worker = async (offset: number): Promise<void> => {
    let i = offset;
    while (!stopped && issued < max && performance.now() < deadline) {
      issued += 1;
      const path = options.paths[i++ % options.paths.length] ?? '/';
      const t0 = performance.now();
      let sample: ResponseSample;
      try {
        const res = await fetch(options.baseUrl + path, {
          headers: options.headers,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
        });
        const body = await res.text();
        sample = { path, status: res.status, body, headers: res.headers, startedAt: t0, latencyMs: performance.now() - t0 };
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        sample = { path, status: 0, body: '', headers: undefined, startedAt: t0, latencyMs: performance.now() - t0, error: message };
      }
      latencies.push(sample.latencyMs);
      byStatus[sample.status] = (byStatus[sample.status] ?? 0) + 1;
      options.onSample?.(sample);
      const reason = options.check(sample);
      if (reason !== undefined) {
        failures += 1;
        failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
        if (failureExamples.length < 5) failureExamples.push(`${path} → ${sample.status} ${sample.error ?? sample.body.slice(0, 200)}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, (_, k) => worker(k))).then((): LoadResult => {
    const durationMs = performance.now() - started;
    return {
      requests: latencies.length,
      failures,
      failureReasons,
      failureExamples,
      byStatus,
      latency: summarizeLatencies(latencies),
      durationMs: Math.round(durationMs),
      requestsPerSecond: Math.round((latencies.length / durationMs) * 1000),
    };
  });
  return {
    stop: () => {
      stopped = true;
    },
    done,
  };
}
