// Content codings of cached bodies for the hot lanes. Browsers send `Accept-Encoding: gzip,
// deflate, br, zstd`, so without this every cached body of ≥ 1 KiB they asked for went through
// Express and the compression middleware, compressed again on every request (/scores' 780 KB:
// milliseconds of CPU each time). The hot lanes instead compress a cached body once per coding
// (asynchronously, on zlib's thread pool) and then serve that copy.
//
// The choice is the compression middleware's own: its negotiator module and its lists of
// supported and preferred codings, and its settings (gzip at zlib's default level, brotli at
// quality 4). A coding the lanes do not keep (deflate) is left to the middleware.
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Coding = 'br' | 'gzip';

interface EncodingNegotiator {
  encoding(available: readonly string[], preferred?: readonly string[]): string | undefined;
}

// The negotiator the installed `compression` requires (its own pinned version, which differs
// from the one Express uses), so both paths pick the same coding for the same header.
const requireFromCompression = createRequire(createRequire(import.meta.url).resolve('compression'));
const Negotiator = requireFromCompression('negotiator') as new (req: { headers: Record<string, string> }) => EncodingNegotiator;
// compression 1.8's SUPPORTED_ENCODING and PREFERRED_ENCODING where zlib has brotli (Node ≥ 11).
const SUPPORTED = ['br', 'gzip', 'deflate', 'identity'];
const PREFERRED = ['br', 'gzip'];

const chosen = new Map<string, string>();
const MAX_REMEMBERED = 256;

/**
 * The coding the compression middleware would apply to a compressible body for this
 * `Accept-Encoding` value: `br`, `gzip`, `deflate`, or `identity` (no header, or nothing
 * acceptable: the middleware then sends the body as it is). Remembered per distinct value
 * (clients send a handful), so a hit costs one Map lookup.
 */
export function chooseCoding(acceptEncoding: string | undefined): string {
  if (!acceptEncoding) return 'identity';
  let coding = chosen.get(acceptEncoding);
  if (coding === undefined) {
    coding = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(SUPPORTED, PREFERRED) ?? 'identity';
    if (chosen.size >= MAX_REMEMBERED) chosen.clear();
    chosen.set(acceptEncoding, coding);
  }
  return coding;
}

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** `body` compressed as the compression middleware would (its default options). */
export function encodeBody(body: Buffer, coding: Coding): Promise<Buffer> {
  return coding === 'gzip' ? gzip(body) : brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
}
