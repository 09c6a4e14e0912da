// Entry point of the serving API: config → MongoDB client → app → listen; SIGTERM/SIGINT drain.
import { MongoClient } from 'mongodb';
import http from 'node:http';
import { createApp, requestListenerOf } from './app.js';
import { createLifecycle } from './api/lifecycle.js';
import { loadConfig } from './config/config.js';
import { isAppError } from './errors/app-error.js';
import { createLogger } from './logging/logger.js';
import { createShutdown } from './server/graceful-shutdown.js';
import { shapedMessages } from './server/shaped-messages.js';
import { connectWithRetry } from './server/mongo-connect.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, buffered: { flushMs: 1000 } });
  const log = logger.child({ module: 'main' });

  // A short server selection timeout turns "MongoDB down" into a 503 within seconds; the driver
  // keeps monitoring the server and requests succeed again as soon as it is back.
  const client = new MongoClient(config.MONGO_URI, {
    serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    // Reads fail fast while the driver knows MongoDB is down (gold-reader.ts), so recovery is
    // noticed by the monitor's heartbeat: once a second (one tiny hello) rather than every 10 s.
    heartbeatFrequencyMS: 1000,
    appName: 'gold-serving-api',
  });
  const connection = connectWithRetry(client, log);

  const lifecycle = createLifecycle();
  const app = createApp({ db: client.db(config.MONGO_DB), config, logger, lifecycle, collectDefaultMetrics: true });
  // One object shape for both lanes' requests and responses (see shaped-messages.ts).
  const server = http.createServer(shapedMessages(app), requestListenerOf(app)).listen(config.PORT, config.HOST, () => {
    log.info({ port: config.PORT, host: config.HOST, db: config.MONGO_DB }, 'gold-serving API listening');
  });
  server.on('error', (error) => {
    log.fatal({ err: error }, 'HTTP server error');
    process.exit(1);
  });

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
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutdown requested');
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
