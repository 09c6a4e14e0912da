// Access lines of the API's cache lanes, written straight to the logger's destination in the
// exact form pino writes for `logger.info({ req: { id, method, url }, res: { statusCode } }, msg)`
// (pino's defaults, which createLogger keeps: level/time first, then the child's bindings, the
// object, the message). Going through pino costs a generic serialization per line (key loop,
// the redaction wrapper for `req`, which these lines never need: they carry no headers); at
// thousands of requests a second that was a measurable share of a request (docs/api.md).
// test/unit/api/access-line.test.ts pins the equality with pino's own output.
import { pino, type Logger } from 'pino';

/** `id` and `method` are written as they are: callers pass request ids (SANE_REQUEST_ID) and method names, which need no JSON escaping. */
export type AccessLine = (id: string, method: string, url: string, statusCode: number) => void;

interface PinoInternals {
  [key: symbol]: unknown;
}

/** A writer of `msg` access lines at `info` for `logger` (nothing when info is off, checked per line). */
export function createAccessLine(logger: Logger, msg: string): AccessLine {
  const internals = logger as unknown as PinoInternals;
  const stream = internals[pino.symbols.streamSym] as { write(line: string): unknown };
  // `,"pid":…,"hostname":…,"name":…` and the child's bindings, as pino prefixes every line.
  const chindings = internals[pino.symbols.chindingsSym] as string;
  const level = pino.levels.values.info;
  const tail = `},"msg":${JSON.stringify(msg)}}\n`;
  return (id, method, url, statusCode) => {
    if (!logger.isLevelEnabled('info')) return;
    stream.write(
      `{"level":${level},"time":${Date.now()}${chindings},"req":{"id":"${id}","method":"${method}","url":${JSON.stringify(url)}},"res":{"statusCode":${statusCode}${tail}`,
    );
  };
}
