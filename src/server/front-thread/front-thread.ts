// Starts the front thread (front-worker.ts) for an app and links the two: the app listens on a
// private Unix socket (in a directory only this user can enter), the thread on the public port.
// The app's side of the link is app-link.ts; the returned server drives the thread's shutdown
// for createShutdown (the public server closes first, then the app's socket).
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type RequestListener } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { COMPRESSION_THRESHOLD } from '../../app.js';
import type { Config } from '../../config/config.js';
import { AppError, ERROR_CODES } from '../../errors/app-error.js';
import { adoptForwarded, FORWARDED_HEADER, forwardingSecret } from '../../api/middleware/forwarded.js';
import { newRequestId } from '../../api/middleware/observability.js';
import { answerClientErrors, errorResponse } from '../client-errors.js';
import type { ClosableServer } from '../graceful-shutdown.js';
import { shapedMessages } from '../shaped-messages.js';
import type { AppLink } from './app-link.js';
import type { FromFront, FrontSettings, ToFront } from './protocol.js';


export type FrontThreadSettings = Omit<FrontSettings, 'upstream' | 'secret'>;

/** The thread's settings from the service's configuration. */
export function frontThreadSettings(config: Pick<Config, 'PORT' | 'HOST' | 'API_KEYS' | 'RATE_LIMIT_PER_MINUTE' | 'CACHE_MAX_ENTRIES' | 'CACHE_MAX_BYTES' | 'CACHE_VERSION_CHECK_MS' | 'LOG_LEVEL'>): FrontThreadSettings {
  return {
    port: config.PORT,
    host: config.HOST,
    apiKeys: config.API_KEYS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    cacheMaxEntries: config.CACHE_MAX_ENTRIES,
    cacheMaxBytes: config.CACHE_MAX_BYTES,
    versionCheckMs: config.CACHE_VERSION_CHECK_MS,
    compressionThreshold: COMPRESSION_THRESHOLD,
    logLevel: config.LOG_LEVEL,
  };
}

export interface FrontThread {
  /** The public address, once the thread listens; rejects when it cannot (e.g. the port is taken). */
  readonly listening: Promise<{ address: string; port: number }>;
  /** The public server and the app's socket, closed in that order (see graceful-shutdown.ts). */
  readonly server: ClosableServer;
  /** Called when the thread dies outside a shutdown (the process cannot serve without it). */
  onCrash(handler: (error: Error) => void): void;
}

/**
 * The worker, from this module's own directory: compiled JavaScript in production; the
 * TypeScript source under tsx (npm run dev, the tests), where a worker thread does not inherit
 * the loader and registers it itself.
 */
function startWorker(settings: FrontSettings): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./front-worker.js', here), { workerData: settings });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./front-worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: settings });
}

export interface StartFrontThreadOptions {
  readonly app: Express;
  readonly link: AppLink;
  readonly settings: FrontThreadSettings;
  readonly logger: Logger;
}

export async function startFrontThread(options: StartFrontThreadOptions): Promise<FrontThread> {
  const { app, link } = options;
  const log = options.logger.child({ module: 'front-thread' });
  // A directory only this user can enter: whoever can connect to the socket is the front thread.
  const dir = privateDirectory();
  socketDirs.add(dir);
  const socketPath = path.join(dir, 'api.sock');
  const secret = forwardingSecret();
  const listener: RequestListener = (req, res) => {
    if (adoptForwarded(req, secret)) {
      app(req, res);
      return;
    }
    // Not from the front thread: nothing else may be served here.
    log.warn({ method: req.method, url: req.url?.slice(0, 200) }, 'refused a request on the private socket without the front thread header');
    const { headers, body } = errorResponse('this socket serves the front thread only', { header: FORWARDED_HEADER }, newRequestId());
    res.writeHead(400, { ...headers, Connection: 'close' }).end(body);
  };
  // No Host needed: the thread forwards HTTP/1.0 requests, which may have none, as HTTP/1.1.
  const internal = http.createServer({ ...shapedMessages(app), requireHostHeader: false }, listener);
  answerClientErrors(internal);
  await new Promise<void>((resolve, reject) => {
    internal.once('error', reject);
    internal.listen(socketPath, () => {
      internal.off('error', reject);
      resolve();
    });
  });

  const worker = startWorker({ ...options.settings, upstream: socketPath, secret });
  link.connect(worker);
  let stopping = false;
  let crashed: ((error: Error) => void) | undefined;
  const crash = (error: Error): void => {
    if (stopping) return;
    log.fatal({ err: error }, 'front thread stopped');
    crashed?.(error);
  };
  worker.on('error', crash);
  worker.on('exit', (code) => crash(new Error(`front thread exited with code ${code}`)));

  const listening = new Promise<{ address: string; port: number }>((resolve, reject) => {
    worker.on('message', (message: FromFront) => {
      if (message.type === 'listening') resolve({ address: message.address, port: message.port });
      else if (message.type === 'listen-failed') reject(Object.assign(new Error(message.message), { code: message.code }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`front thread exited with code ${code} before listening`)));
  });

  const server: ClosableServer = {
    close(callback) {
      const onClosed = (message: FromFront): void => {
        if (message.type !== 'closed') return;
        worker.off('message', onClosed);
        // The thread's connections to the app's socket are gone (it closed its agent): close that too.
        internal.close(() => {
          stopping = true;
          removeSocketDir(dir);
          void worker.terminate().then(() => callback());
        });
        internal.closeIdleConnections();
      };
      worker.on('message', onClosed);
      worker.postMessage({ type: 'close' } satisfies ToFront);
    },
    closeIdleConnections() {
      worker.postMessage({ type: 'close-idle' } satisfies ToFront);
      internal.closeIdleConnections();
    },
    closeAllConnections() {
      worker.postMessage({ type: 'close-all' } satisfies ToFront);
      internal.closeAllConnections();
    },
  };

  return { listening, server, onCrash: (handler) => (crashed = handler) };
}

/** A fresh directory (mode 0700) under the temporary directory, or an error saying what to change. */
function privateDirectory(): string {
  try {
    return mkdtempSync(path.join(os.tmpdir(), 'gold-serving-'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AppError(ERROR_CODES.CONFIG_INVALID, `front thread: cannot create its private socket directory in ${os.tmpdir()} (${code}); set TMPDIR to a writable directory, or FRONT_THREAD=false`, { cause: error });
  }
}

/** Socket directories of the threads started in this process, removed at exit if still there. */
const socketDirs = new Set<string>();
process.once('exit', () => socketDirs.forEach(removeSocketDir));

function removeSocketDir(dir: string): void {
  socketDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
