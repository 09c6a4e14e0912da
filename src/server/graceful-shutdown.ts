// SIGTERM sequence: readiness 503 first (load balancers stop routing), wait `delayMs`, stop
// accepting connections and let in-flight requests finish (forced after `graceMs`), then close
// MongoDB. Idempotent: a second signal does not start a second sequence.
import type { Logger } from 'pino';
import type { Lifecycle } from '../api/lifecycle.js';

const IDLE_SWEEP_MS = 50;

/** What the sequence needs of the HTTP server (node:http's Server, or the front thread's, see front-thread.ts). */
export interface ClosableServer {
  /** Stops accepting connections; `callback` once every connection has ended. */
  close(callback: () => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

export interface ShutdownOptions {
  readonly server: ClosableServer;
  readonly lifecycle: Lifecycle;
  readonly closeDb: () => Promise<void>;
  readonly logger: Logger;
  readonly delayMs: number;
  readonly graceMs: number;
}

export function createShutdown(options: ShutdownOptions): () => Promise<void> {
  const { server, lifecycle, logger } = options;
  let running: Promise<void> | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  const sequence = async (): Promise<void> => {
    lifecycle.shuttingDown = true;
    logger.info({ delayMs: options.delayMs, graceMs: options.graceMs }, 'shutdown: readiness now 503');
    if (options.delayMs > 0) await sleep(options.delayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections with no request in flight would hold close() open until the grace
    // period: close them now, and again as in-flight requests finish and their sockets idle.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const force = setTimeout(() => {
      logger.warn('shutdown: grace period over, closing remaining connections');
      server.closeAllConnections();
    }, options.graceMs);
    force.unref();
    await closed;
    clearInterval(sweep);
    clearTimeout(force);
    await options.closeDb();
    logger.info('shutdown: HTTP server and MongoDB closed');
  };

  return () => (running ??= sequence());
}
