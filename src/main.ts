// Entry point of the serving API: config → MongoDB client → app → listen (through the front
// thread where it applies); SIGTERM/SIGINT drain.
import { MongoClient } from 'mongodb';
import http from 'node:http';
import { createApp, frontLaneApplies, requestListenerOf } from './app.js';
import { createLifecycle } from './api/lifecycle.js';
import { loadConfig } from './config/config.js';
import { isAppError } from './errors/app-error.js';
import { createWriteLock } from './logging/block-writer.js';
import { createLogger } from './logging/logger.js';
import { answerClientErrors } from './server/client-errors.js';
import { createFrontLink } from './server/front-thread/app-link.js';
import { frontThreadSettings, startFrontThread } from './server/front-thread/front-thread.js';
import { createShutdown, type ClosableServer } from './server/graceful-shutdown.js';
import { shapedMessages } from './server/shaped-messages.js';
import { connectWithRetry, mongoClientOptions } from './server/mongo-connect.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Cache hits in a thread of their own (src/server/front-thread) where the front lane applies.
  const threaded = config.FRONT_THREAD && frontLaneApplies(config);
  // The front thread writes its own access lines to stdout: one lock for both threads' writes.
  const stdoutLock = threaded ? createWriteLock() : undefined;
  const logger = createLogger({ level: config.LOG_LEVEL, buffered: { flushMs: 1000, lock: stdoutLock } });
  const log = logger.child({ module: 'main' });

  const client = new MongoClient(config.MONGO_URI, mongoClientOptions(config));
  const connection = connectWithRetry(client, log);

  const lifecycle = createLifecycle();
  const link = threaded ? createFrontLink() : undefined;
  const app = createApp({ db: client.db(config.MONGO_DB), config, logger, lifecycle, collectDefaultMetrics: true, front: link });
  // What protects it, stated once: `API_KEYS=,` or an empty value leaves the data endpoints open.
  const protection = { apiKeysRequired: config.API_KEYS.length > 0, corsOrigins: config.CORS_ORIGINS, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, frontThread: threaded };
  const listening = (address: { port: number }) => log.info({ port: address.port, host: config.HOST, db: config.MONGO_DB, ...protection }, 'gold-serving API listening');
  const fatal = (error: Error) => {
    log.fatal({ err: error }, 'HTTP server error');
    logger.flush();
    process.exit(1);
  };

  let server: ClosableServer;
  if (link) {
    const front = await startFrontThread({
      app,
      link,
      logger,
      settings: { ...frontThreadSettings(config), stdoutLock },
    });
    front.onCrash(fatal);
    front.listening.then(listening, fatal);
    server = front.server;
  } else {
    // One object shape for both lanes' requests and responses (see shaped-messages.ts).
    const direct = http.createServer(shapedMessages(app), requestListenerOf(app)).listen(config.PORT, config.HOST, () => listening({ port: config.PORT }));
    answerClientErrors(direct);
    direct.on('error', fatal);
    server = direct;
  }

  const shutdown = createShutdown({
    server,
    lifecycle,
    closeDb: async () => {
      connection.stop();
      await client.close();
    },
    logger: log,
    delayMs: config.SHUTDOWN_DELAY_MS,
    graceMs: config.SHUTDOWN_GRACE_MS,
  });
  // `on`, not `once`: a second signal (npm forwards SIGTERM to its child, a process-group kill
  // sends another) would otherwise meet Node's default handler and kill the process mid-drain.
  // The sequence runs once (createShutdown is idempotent); later signals are only logged.
  let requested = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      log.info({ signal }, requested ? 'shutdown already in progress' : 'shutdown requested');
      if (requested) return;
      requested = true;
      shutdown().then(
        () => {
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          logger.flush();
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // Configuration errors name the variable; print them plainly and exit non-zero.
  console.error(isAppError(error) ? `gold-serving: ${error.message}` : error);
  process.exit(1);
});
