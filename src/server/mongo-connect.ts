// Connects the MongoDB client, retrying in the background while MongoDB is down. The driver
// recovers by itself from outages after a first successful connection, but a failed first
// connect leaves the client's topology closed ("Topology is closed") until connect() is called
// again — so the API answers 503 meanwhile and comes up on its own when MongoDB appears.
import type { MongoClient } from 'mongodb';
import type { Logger } from 'pino';

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
