// Process-wide pino logger factory; modules take `logger.child({ module })` from it.
import { pino, type DestinationStream, type Logger } from 'pino';
import { createBlockWriter, fdSink, type BlockWriter } from './block-writer.js';

export interface LoggerOptions {
  readonly level: string;
  readonly name?: string;
  /**
   * Write stdout in blocks of 64 KiB instead of one write per line, flushed at least every
   * `flushMs` and on exit. For the API server: at thousands of requests a second one write()
   * per access line cost ~9 µs a request (bench:api). A SIGKILL loses at most the unflushed
   * block (≤ `flushMs` of lines); SIGTERM and normal exits flush it.
   */
  readonly buffered?: {
    readonly flushMs: number;
    /** Shared with another thread writing stdout (the front thread's): see BlockWriterOptions.lock. */
    readonly lock?: Int32Array;
  };
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
  const logger = pino(settings, blockDestination(stdoutBlocks(options.buffered.lock)));
  setInterval(() => logger.flush(), options.buffered.flushMs).unref();
  return logger;
}

/** stdout written in 64 KiB blocks (block-writer.ts); what the block holds is written at exit. */
function stdoutBlocks(lock?: Int32Array): BlockWriter {
  let reported = false;
  const writer = createBlockWriter({
    sink: fdSink(1),
    lock,
    onError: (error) => {
      if (reported) return;
      reported = true;
      process.stderr.write(`gold-serving: writing the log to stdout failed (${error.code ?? error.message}); log lines are being lost\n`);
    },
  });
  process.on('exit', writer.flush);
  return writer;
}

/**
 * pino's destination for `writer`. `reserve`/`commit`/`block` let the access lines encode
 * themselves into the block (access-line.ts).
 */
export function blockDestination(writer: BlockWriter): DestinationStream {
  return {
    write: (line: string) => writer.write(line),
    reserve: writer.reserve,
    commit: writer.commit,
    block: writer.block,
    // pino's flush(cb) passes a callback; the write is synchronous, so it is done on return.
    flush: (cb?: (error?: Error) => void) => {
      writer.flush();
      cb?.();
    },
    flushSync: writer.flush,
  } as DestinationStream;
}

export type { Logger };
