// Connects the MongoDB client, retrying in the background while MongoDB is down. The driver
// recovers by itself from outages after a first successful connection, but a failed first
// connect leaves the client's topology closed ("Topology is closed") until connect() is called
// again — so the API answers 503 meanwhile and comes up on its own when MongoDB appears.
import type { MongoClient, MongoClientOptions } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';

/** The API's client options (main.ts; the resilience tests use the same). */
export function mongoClientOptions(config: Pick<Config, 'MONGO_SERVER_SELECTION_TIMEOUT_MS' | 'QUERY_TIMEOUT_MS'>): MongoClientOptions {
  return {
    // A short server selection timeout turns "MongoDB down" into a 503 within seconds; the driver
    // keeps monitoring the server and requests succeed again as soon as it is back.
    serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    // Reads fail fast while the driver knows MongoDB is down (gold-reader.ts), so recovery is
    // noticed by the monitor's heartbeat: once a second (one tiny hello) rather than every 10 s.
    heartbeatFrequencyMS: 1000,
    // A server that stops answering (a partition, a hung mongod) sends no error at all: without
    // these, reads — the cache's version check and the probes included — waited ~30 s, the
    // driver's default connectTimeoutMS, until its monitor gave up (found by an audit; the
    // driver's `timeoutMS` is a no-op in 7.9). A reply is due within maxTimeMS (QUERY_TIMEOUT_MS:
    // MongoDB answers with an error then), so a read waits that plus a second at most, and then
    // fails with a network timeout (503); the monitor's hello gets 5 s, after which the driver
    // knows the server is down and reads fail at once until it answers again.
    socketTimeoutMS: config.QUERY_TIMEOUT_MS + 1000,
    connectTimeoutMS: 5000,
    appName: 'gold-serving-api',
  };
}

export interface ConnectRetryOptions {
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface ConnectHandle {
  /** Resolves on the first successful connection (never rejects; stop() ends the retries). */
  readonly connected: Promise<boolean>;
  stop(): void;
}

export function connectWithRetry(client: MongoClient, logger: Logger, options: ConnectRetryOptions = {}): ConnectHandle {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const connected = (async () => {
    for (let attempt = 1, delay = minDelay; !stopped; attempt++, delay = Math.min(maxDelay, delay * 2)) {
      try {
        await client.connect();
        if (attempt > 1) logger.info({ attempt }, 'MongoDB connected');
        return true;
      } catch (error) {
        logger.warn({ err: error, attempt, retryInMs: delay }, 'MongoDB unreachable; serving 503 and retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
    }
    return false;
  })();

  return {
    connected,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
