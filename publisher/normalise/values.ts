// Scalar conversions from decoded Parquet values (hyparquet gives number, bigint, Date,
// string, Uint8Array, null/undefined) to the storage types of the catalog. Each returns the
// converted value or a Problem; they never throw, so one bad cell is one reported row.

/** Why a cell could not be normalised; becomes a validation violation with this rule name. */
export const CONVERSION_RULES = Object.freeze({
  type: 'type', // a value of the wrong kind (e.g. a string in a numeric column)
  int64Range: 'int64_range', // an INT64 beyond ±2^53 cannot be a JS number exactly
  notInteger: 'not_integer', // a fractional value in an integer column
  dateRange: 'date_range', // a timestamp outside [1900-01-01, 2200-01-01): wrong unit or garbage
  format: 'format', // a day/month string not shaped YYYY-MM-DD / YYYY-MM
} as const);
export type ConversionRule = (typeof CONVERSION_RULES)[keyof typeof CONVERSION_RULES];

/** Unit of raw integer timestamps; `int96` is the packed (julian day << 64 | nanos of day) form. */
export type TimeUnit = 'ms' | 'us' | 'ns' | 'int96';

export const DAY_MS = 86_400_000;
/** Plausible range of gold timestamps; outside it the producer's unit was almost surely misread. */
export const DATE_MIN_MS = Date.UTC(1900, 0, 1);
export const DATE_MAX_MS = Date.UTC(2200, 0, 1);

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const JULIAN_UNIX_EPOCH = 2_440_588n;
const NANOS_PER_DAY = 86_400_000_000_000n;
const U64_MASK = 0xffff_ffff_ffff_ffffn;
const utf8 = new TextDecoder();

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** ISO date-time without an offset: read as naive UTC (GOLD_SPEC "timestamps are naive UTC"). */
const NAIVE_ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** Sentinel returned instead of a value when a cell cannot be converted. */
export interface Problem {
  readonly problem: ConversionRule;
}
const problems: Readonly<Record<ConversionRule, Problem>> = Object.freeze({
  type: Object.freeze({ problem: 'type' }),
  int64_range: Object.freeze({ problem: 'int64_range' }),
  not_integer: Object.freeze({ problem: 'not_integer' }),
  date_range: Object.freeze({ problem: 'date_range' }),
  format: Object.freeze({ problem: 'format' }),
});
export const problemOf = (rule: ConversionRule): Problem => problems[rule];
export const isProblem = (v: unknown): v is Problem => typeof v === 'object' && v !== null && 'problem' in v;

/** A JS number from a bigint, or a Problem beyond ±(2^53 − 1). */
export function bigintToNumber(v: bigint): number | Problem {
  // Number() rounds beyond 2^53, so a safe result means the conversion was exact.
  const x = Number(v);
  return Number.isSafeInteger(x) ? x : problems.int64_range;
}

/**
 * int/double cell → number; null, undefined and NaN (pandas' missing float) → null.
 * Integer columns accept integral doubles (pandas writes nullable ints as float64).
 */
export function toNumber(v: unknown, integer: boolean): number | null | Problem {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') {
    const c = bigintToNumber(v);
    if (typeof c !== 'number') return c;
    n = c;
  } else if (v === null || v === undefined) return null;
  else if (typeof v === 'boolean') n = v ? 1 : 0;
  else return problems.type;
  if (Number.isNaN(n)) return null;
  if (!Number.isFinite(n)) return problems.type;
  if (integer && !Number.isInteger(n)) return problems.not_integer;
  return n;
}

/** Epoch milliseconds of a raw integer timestamp in the given unit (floor, like a calendar). */
export function rawTimestampToMs(v: bigint, unit: TimeUnit): bigint {
  switch (unit) {
    case 'ms':
      return v;
    case 'us':
      return floorDiv(v, 1_000n);
    case 'ns':
      return floorDiv(v, 1_000_000n);
    case 'int96': {
      const days = (v >> 64n) - JULIAN_UNIX_EPOCH;
      const nanos = v & U64_MASK;
      return floorDiv(days * NANOS_PER_DAY + nanos, 1_000_000n);
    }
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function checkRange(ms: number): number | Problem {
  return Number.isFinite(ms) && ms >= DATE_MIN_MS && ms < DATE_MAX_MS ? ms : problems.date_range;
}

/** Parses an ISO-8601 string; one without an offset is naive UTC. NaN when it does not parse. */
export function parseTimestamp(s: string): number {
  const t = s.trim();
  if (NAIVE_ISO_RE.test(t)) return Date.parse(t.length === 10 ? `${t}T00:00:00Z` : `${t.replace(' ', 'T')}Z`);
  return Date.parse(t);
}

/** date cell → epoch ms (range-checked); numbers and bigints are raw timestamps in `unit`. */
export function toEpochMs(v: unknown, unit: TimeUnit): number | null | Problem {
  if (v instanceof Date) return checkRange(v.getTime());
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    const ms = rawTimestampToMs(v, unit);
    return ms > MAX_SAFE || ms < MIN_SAFE ? problems.date_range : checkRange(Number(ms));
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    if (!Number.isInteger(v)) return problems.type;
    return checkRange(Number(rawTimestampToMs(BigInt(v), unit === 'int96' ? 'ms' : unit)));
  }
  if (typeof v === 'string') {
    const ms = parseTimestamp(v);
    return Number.isNaN(ms) ? problems.type : checkRange(ms);
  }
  return problems.type;
}

/** string cell → string (UTF-8 bytes are decoded); anything else is a type problem. */
export function toText(v: unknown): string | null | Problem {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return problems.type;
}

/** 'YYYY-MM-DD' of epoch ms (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** day cell ('YYYY-MM-DD' string, DATE → Date at midnight, or raw days since epoch) → 'YYYY-MM-DD'. */
export function toDay(v: unknown): string | null | Problem {
  if (typeof v === 'string') {
    const m = DAY_RE.exec(v);
    return m && validDay(Number(m[1]), Number(m[2]), Number(m[3])) ? v : problems.format;
  }
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const r = checkRange(v.getTime());
    return typeof r === 'number' ? isoDay(r) : r;
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    const r = checkRange(v * DAY_MS);
    return typeof r === 'number' ? isoDay(r) : r;
  }
  return problems.type;
}

/** month cell ('YYYY-MM' string or a Date) → 'YYYY-MM'. */
export function toMonth(v: unknown): string | null | Problem {
  if (typeof v === 'string') return MONTH_RE.test(v) ? v : problems.format;
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const r = checkRange(v.getTime());
    return typeof r === 'number' ? isoDay(r).slice(0, 7) : r;
  }
  return problems.type;
}

/** Printable form of a raw cell for reports (bigints and bytes are not JSON). */
export function printable(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}
