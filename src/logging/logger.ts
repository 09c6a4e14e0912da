// Process-wide pino logger factory; modules take `logger.child({ module })` from it.
import { pino, type Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  readonly name?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name ?? 'gold-serving',
    level: options.level,
    // Never let credentials from a Mongo URI or an API key header reach the logs.
    redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'uri', 'mongoUri'], censor: '[redacted]' },
  });
}

export type { Logger };
