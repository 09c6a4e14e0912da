// Access lines of the API's cache lanes, written straight to the logger's destination in the
// exact form pino writes for `logger.info({ req: { id, method, url }, res: { statusCode } }, msg)`
// (pino's defaults, which createLogger keeps: level/time first, then the child's bindings, the
// object, the message). Going through pino costs a generic serialization per line (key loop,
// the redaction wrapper for `req`, which these lines never need: they carry no headers); at
// thousands of requests a second that was a measurable share of a request (docs/api.md).
//
// With the API's buffered stdout (logger.ts's blockDestination) a line is not even a string: its
// bytes go straight into the block — the fixed head, the time's digits, the child's bindings, the
// id, and the end from the method on, encoded once per status and URL (a cache lane answers the
// same few URLs over and over). Building the line as a string cost a concatenation, a flattening
// and a UTF-8 encoding per request (docs/api.md).
// test/unit/api/access-line.test.ts pins the equality with pino's own output, both ways.
import { pino, type Logger } from 'pino';
import type { BlockWriter } from './block-writer.js';

/** `id` and `method` are written as they are: callers pass request ids (SANE_REQUEST_ID) and method names, which need no JSON escaping. */
export type AccessLine = (id: string, method: string, url: string, statusCode: number) => void;

interface PinoInternals {
  [key: symbol]: unknown;
}

type Stream = { write(line: string): unknown } & Partial<Pick<BlockWriter, 'reserve' | 'commit' | 'block'>>;

/** Encoded line ends kept per status and URL (GET only); all dropped when there are this many. */
const MAX_ENDINGS = 1024;
/** Longer URLs (e.g. one-shot cache-buster variants) are encoded per line, not kept, so the kept ends stay small. */
const MAX_KEPT_URL = 512;
/** Bytes of the time's digits (Date.now() has 13 until the year 2286). */
const TIME_DIGITS = 16;

/** A writer of `msg` access lines at `info` for `logger` (nothing when info is off, checked per line). */
export function createAccessLine(logger: Logger, msg: string): AccessLine {
  const internals = logger as unknown as PinoInternals;
  const stream = internals[pino.symbols.streamSym] as Stream;
  // `,"pid":…,"hostname":…,"name":…` and the child's bindings, as pino prefixes every line.
  const chindings = internals[pino.symbols.chindingsSym] as string;
  const level = pino.levels.values.info!;
  const head = `{"level":${level},"time":`;
  const middle = `${chindings},"req":{"id":"`;
  const tail = `},"msg":${JSON.stringify(msg)}}\n`;
  const ending = (method: string, url: string, statusCode: number) => `","method":"${method}","url":${JSON.stringify(url)}},"res":{"statusCode":${statusCode}${tail}`;
  const asString: AccessLine = (id, method, url, statusCode) => {
    // pino's own check (`isLevelEnabled`) for its default ascending levels, without the lookups.
    if (logger.levelVal > level) return;
    stream.write(`${head}${Date.now()}${middle}${id}${ending(method, url, statusCode)}`);
  };
  const { reserve, commit, block } = stream;
  if (!reserve || !commit || !block) return asString;

  const headBytes = Buffer.from(head);
  const middleBytes = Buffer.from(middle);
  // Status → URL → bytes (no key to build per line).
  const endings = new Map<number, Map<string, Buffer>>();
  const endingBytes = (method: string, url: string, statusCode: number): Buffer => {
    if (method !== 'GET' || url.length > MAX_KEPT_URL) return Buffer.from(ending(method, url, statusCode));
    let byUrl = endings.get(statusCode);
    if (byUrl === undefined) endings.set(statusCode, (byUrl = new Map()));
    let bytes = byUrl.get(url);
    if (bytes === undefined) {
      // On a miss only: a few statuses, each one size.
      let kept = 0;
      for (const urls of endings.values()) kept += urls.size;
      if (kept >= MAX_ENDINGS) for (const urls of endings.values()) urls.clear();
      bytes = Buffer.from(ending(method, url, statusCode));
      byUrl.set(url, bytes);
    }
    return bytes;
  };
  return (id, method, url, statusCode) => {
    if (logger.levelVal > level) return;
    const end = endingBytes(method, url, statusCode);
    const max = headBytes.length + TIME_DIGITS + middleBytes.length + 3 * id.length + end.length;
    // A line longer than a block (a URL of tens of kilobytes): the writer's string path splits it off.
    if (max > block.length) return asString(id, method, url, statusCode);
    let at = reserve(max);
    block.set(headBytes, at);
    at = writeDecimal(block, at + headBytes.length, Date.now());
    block.set(middleBytes, at);
    at = writeText(block, at + middleBytes.length, id);
    block.set(end, at);
    commit(at + end.length);
  };
}

/** Writes the digits of the non-negative integer `value` at `at`; returns the end. */
function writeDecimal(block: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    const next = Math.floor(rest / 10);
    block[i] = 48 + rest - next * 10;
    rest = next;
  }
  return at + digits;
}

/** Writes `text` as UTF-8 at `at` (byte by byte while it is ASCII, as ids are); returns the end. */
function writeText(block: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return at + block.write(text, at);
    block[at + i] = code;
  }
  return at + text.length;
}
