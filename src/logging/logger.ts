// Process-wide pino logger factory; modules take `logger.child({ module })` from it.
import { pino, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  readonly name?: string;
  /**
   * Write stdout in blocks of ≥ 32 KiB instead of one write per line, flushed at least every
   * `flushMs` and on exit. For the API server: at thousands of requests a second one write()
   * per access line cost ~9 µs a request (bench:api). A SIGKILL loses at most the unflushed
   * block (≤ `flushMs` of lines); SIGTERM and normal exits flush it.
   */
  readonly buffered?: { readonly flushMs: number };
  /** Where to write instead of stdout (tests). */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name ?? 'gold-serving',
    level: options.level,
    // Never let credentials from a Mongo URI or an API key header reach the logs.
    redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'uri', 'mongoUri'], censor: '[redacted]' },
  };
  if (options.destination) return pino(settings, options.destination);
  if (!options.buffered) return pino(settings);
  const logger = pino(settings, blockDestination());
  setInterval(() => logger.flush(), options.buffered.flushMs).unref();
  return logger;
}

/**
 * stdout written asynchronously in blocks of ≥ 32 KiB (sonic-boom, as pino.destination; pino
 * flushes it synchronously when the process exits). Each block is one write() on a libuv
 * worker thread plus the wake-ups around it (~20 µs of CPU here): 32 KiB blocks (~130 access
 * lines) make that negligible per request where 4 KiB blocks cost ~1 µs. In sonic-boom's
 * `buffer` mode, fed one Buffer per line: its default `utf8` mode appends each line to a string
 * and takes that whole string's UTF-8 length on every write, a cost growing with the block.
 */
function blockDestination(): DestinationStream {
  const sonic = pino.destination({ dest: 1, sync: false, minLength: 32 * 1024, maxWrite: 64 * 1024, contentMode: 'buffer' });
  return {
    write: (line: string) => sonic.write(Buffer.from(line, 'utf8') as unknown as string),
    flush: (cb?: (error?: Error) => void) => sonic.flush(cb),
    flushSync: () => sonic.flushSync(),
  } as DestinationStream;
}

export type { Logger };
