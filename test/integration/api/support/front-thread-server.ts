// The API as main.ts serves it by default: the app on its private socket, the front thread on a
// public loopback port (src/server/front-thread), started in this process with the real worker.
import type { Express } from 'express';
import type { Db } from 'mongodb';
import { pino } from 'pino';
import { createApp } from '../../../../src/app.js';
import { loadConfig } from '../../../../src/config/config.js';
import { createFrontLink } from '../../../../src/server/front-thread/app-link.js';
import { frontThreadSettings, startFrontThread, type FrontThread } from '../../../../src/server/front-thread/front-thread.js';

export interface Threaded {
  readonly base: string;
  readonly app: Express;
  /** Shuts down as SIGTERM does: the public server first (in-flight requests finish), then the app's socket. */
  close(): Promise<void>;
}

/**
 * The app and its front thread as main.ts starts them, not yet known to listen (`listening`
 * says). `logLines`: where the app thread's log lines go (warn and above); none are kept by default.
 */
export async function launchThreaded(db: Db, env: Record<string, string> = {}, logLines?: string[]): Promise<FrontThread & { app: Express }> {
  const config = loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', ...env });
  const link = createFrontLink();
  const logger = logLines ? pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) }) : pino({ level: 'silent' });
  const app = createApp({ db, config, logger, front: link });
  return { ...(await startFrontThread({ app, link, logger, settings: frontThreadSettings(config) })), app };
}

/** launchThreaded, listening. */
export async function startThreaded(db: Db, env: Record<string, string> = {}, logLines?: string[]): Promise<Threaded> {
  const front = await launchThreaded(db, env, logLines);
  front.onCrash((error) => {
    throw error;
  });
  const { port } = await front.listening;
  let closed: Promise<void> | undefined;
  return { base: `http://127.0.0.1:${port}`, app: front.app, close: () => (closed ??= new Promise((resolve) => front.server.close(resolve))) };
}
