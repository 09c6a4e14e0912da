// Value kinds of the flat-column decoder and the PLAIN decoding of each, straight to the forms
// the normaliser stores: every numeric and temporal kind becomes a double (NaN = null), temporal
// ones as epoch milliseconds floored like the hyparquet parsers (parsers.ts), text as strings.
// INT64 values are assembled from two 32-bit halves without BigInt (the reason this decoder
// exists: BigInt and Date objects per cell were most of the decoding time).
import type { SchemaElement } from 'hyparquet';

/** A decoded numeric column, NaN for null; a fresh array the caller owns (may reuse in place). */
export class NumberArray extends Float64Array {}

/** A decoded temporal column: epoch milliseconds, NaN for null; owned by the caller too. */
export class EpochMsArray extends Float64Array {}

/** The flat decoder does not handle this column or page; the caller falls back to hyparquet. */
export class FastPathUnsupported extends Error {}

export type FlatKind = 'int32' | 'uint32' | 'int64' | 'uint64' | 'float' | 'double' | 'days' | 'ms' | 'us' | 'ns' | 'int96' | 'text';

export const TEMPORAL_KINDS: ReadonlySet<FlatKind> = new Set(['days', 'ms', 'us', 'ns', 'int96']);

/** Bytes per PLAIN value (text is length-prefixed). */
export const PLAIN_WIDTH: Readonly<Record<Exclude<FlatKind, 'text'>, number>> = Object.freeze({
  int32: 4,
  uint32: 4,
  days: 4,
  float: 4,
  int64: 8,
  uint64: 8,
  ms: 8,
  us: 8,
  ns: 8,
  double: 8,
  int96: 12,
});

const TWO_32 = 4_294_967_296;
const DAY_MS = 86_400_000;
const JULIAN_UNIX_EPOCH = 2_440_588;
const NOT_TEXT = new Set(['DECIMAL', 'JSON', 'BSON', 'UUID', 'GEOMETRY', 'GEOGRAPHY', 'VARIANT', 'FLOAT16']);

/**
 * The kind of a top-level primitive column, or null when hyparquet must decode it (decimals,
 * TIME, booleans, fixed-length bytes, JSON...). Mirrors the precedence of hyparquet's convert().
 */
export function flatKindOf(element: SchemaElement): FlatKind | null {
  const ctype = element.converted_type;
  const ltype = element.logical_type;
  if (ctype === 'DECIMAL' || ltype?.type === 'DECIMAL' || ltype?.type === 'TIME' || ctype === 'TIME_MILLIS' || ctype === 'TIME_MICROS') return null;
  switch (element.type) {
    case 'INT32':
      if (ctype === 'DATE' || ltype?.type === 'DATE') return 'days';
      if (ctype === 'UINT_32' || (ltype?.type === 'INTEGER' && ltype.bitWidth === 32 && !ltype.isSigned)) return 'uint32';
      return ltype && ltype.type !== 'INTEGER' ? null : 'int32';
    case 'INT64':
      if (ctype === 'TIMESTAMP_MILLIS') return 'ms';
      if (ctype === 'TIMESTAMP_MICROS') return 'us';
      if (ctype === 'UINT_64' || (ltype?.type === 'INTEGER' && ltype.bitWidth === 64 && !ltype.isSigned)) return 'uint64';
      if (ltype?.type === 'TIMESTAMP') return ltype.unit === 'MILLIS' ? 'ms' : ltype.unit === 'MICROS' ? 'us' : 'ns';
      return ltype && ltype.type !== 'INTEGER' ? null : 'int64';
    case 'INT96':
      return ctype ? null : 'int96';
    case 'FLOAT':
      return ltype ? null : 'float';
    case 'DOUBLE':
      return ltype ? null : 'double';
    case 'BYTE_ARRAY':
      return (ctype && NOT_TEXT.has(ctype)) || (ltype && NOT_TEXT.has(ltype.type)) ? null : 'text';
    default:
      return null;
  }
}

/** floor((hi·2^32 + lo) / d) for d < 2^22, exactly, with 2^32 = a·d + b. */
function floorDiv64(hi: number, lo: number, a: number, b: number, d: number): number {
  const low = hi * b + lo; // |low| < 2^53: exact
  let r = low % d;
  if (r < 0) r += d;
  return hi * a + (low - r) / d;
}
const US_A = Math.floor(TWO_32 / 1_000);
const US_B = TWO_32 % 1_000;
const NS_A = Math.floor(TWO_32 / 1_000_000);
const NS_B = TWO_32 % 1_000_000;

const safe = (x: number, what: string): number => {
  if (x >= -Number.MAX_SAFE_INTEGER && x <= Number.MAX_SAFE_INTEGER) return x;
  throw new FastPathUnsupported(`${what} beyond 2^53`);
};

/** One PLAIN value at `at` (bounds already checked by the caller). */
function plainAt(kind: Exclude<FlatKind, 'text'>, view: DataView, at: number): number {
  switch (kind) {
    case 'int32':
      return view.getInt32(at, true);
    case 'uint32':
      return view.getUint32(at, true);
    case 'days':
      return view.getInt32(at, true) * DAY_MS;
    case 'float':
      return view.getFloat32(at, true);
    case 'double':
      return view.getFloat64(at, true);
    case 'int64':
    case 'ms':
      return safe(view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true), 'an INT64');
    case 'uint64':
      return safe(view.getUint32(at + 4, true) * TWO_32 + view.getUint32(at, true), 'a UINT64');
    case 'us':
      return safe(floorDiv64(view.getInt32(at + 4, true), view.getUint32(at, true), US_A, US_B, 1_000), 'a timestamp');
    case 'ns':
      return floorDiv64(view.getInt32(at + 4, true), view.getUint32(at, true), NS_A, NS_B, 1_000_000);
    case 'int96': {
      // 8 bytes of nanoseconds in the day (unsigned), then the Julian day.
      const nanosMs = floorDiv64(view.getUint32(at + 4, true), view.getUint32(at, true), NS_A, NS_B, 1_000_000);
      return safe((view.getInt32(at + 8, true) - JULIAN_UNIX_EPOCH) * DAY_MS + nanosMs, 'an INT96 timestamp');
    }
  }
}

/** `count` PLAIN numbers from bytes[at…] into out[0…count). Returns the end offset. */
export function plainNumbers(kind: Exclude<FlatKind, 'text'>, bytes: Uint8Array, at: number, count: number, out: Float64Array): number {
  const width = PLAIN_WIDTH[kind];
  const end = at + count * width;
  if (end > bytes.length) throw new RangeError(`${count} PLAIN ${kind} values need ${count * width} bytes, ${bytes.length - at} remain`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'double' && (bytes.byteOffset + at) % 8 === 0) {
    out.set(new Float64Array(bytes.buffer, bytes.byteOffset + at, count));
    return end;
  }
  // The commonest gold kinds (ids, TIMESTAMP(MICROS)) get loops of their own: plainAt's switch
  // per value cost about as much as the arithmetic.
  if (kind === 'int64' || kind === 'ms') {
    for (let i = 0, p = at; i < count; i++, p += 8) {
      const x = view.getInt32(p + 4, true) * TWO_32 + view.getUint32(p, true);
      if (!(x >= -Number.MAX_SAFE_INTEGER && x <= Number.MAX_SAFE_INTEGER)) throw new FastPathUnsupported('an INT64 beyond 2^53');
      out[i] = x;
    }
    return end;
  }
  if (kind === 'us') {
    for (let i = 0, p = at; i < count; i++, p += 8) out[i] = safe(floorDiv64(view.getInt32(p + 4, true), view.getUint32(p, true), US_A, US_B, 1_000), 'a timestamp');
    return end;
  }
  for (let i = 0, p = at; i < count; i++, p += width) out[i] = plainAt(kind, view, p);
  return end;
}

const utf8 = new TextDecoder();

/** `count` PLAIN BYTE_ARRAY values (4-byte length + bytes) decoded as UTF-8. */
export function plainTexts(bytes: Uint8Array, at: number, count: number, out: string[]): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = at;
  for (let i = 0; i < count; i++) {
    if (p + 4 > bytes.length) throw new RangeError(`text value ${i} of ${count}: length prefix runs past the page end`);
    const length = view.getUint32(p, true);
    p += 4;
    if (p + length > bytes.length) throw new RangeError(`text value ${i} of ${count}: ${length} bytes, ${bytes.length - p} remain`);
    out[i] = utf8.decode(bytes.subarray(p, p + length));
    p += length;
  }
  return p;
}
