// Scalar conversions from decoded Parquet values (hyparquet gives number, bigint, Date,
// string, Uint8Array, null/undefined) to the storage types of the catalog. Each returns the
// converted value or a Problem; they never throw, so one bad cell is one reported row.

/** Why a cell could not be normalised; becomes a validation violation with this rule name. */
export const CONVERSION_RULES = Object.freeze({
  type: 'type', // a value of the wrong kind (e.g. a string in a numeric column, a timestamp string that is not ISO-8601)
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
/**
 * The ISO-8601 timestamps gold producers write, and nothing else: `YYYY-MM-DD`, or that date,
 * `T` or a space, `hh:mm[:ss[.fraction]]` (fraction up to nanoseconds, pandas' precision) and
 * an optional `Z` / `±hh:mm` / `±hhmm`. Groups: year, month, day, hour, minute, second,
 * fraction, zone.
 */
const ISO_TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

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

/**
 * Epoch ms of an ISO-8601 timestamp string (see ISO_TIMESTAMP_RE); one without an offset is
 * naive UTC (GOLD_SPEC §2), a date alone is its midnight UTC. NaN for anything else, including
 * impossible dates and times (2025-02-30, 24:00, offsets beyond 23:59): the caller reports NaN
 * as a `type` violation.
 *
 * No fallback to Date.parse, on purpose: V8's parser accepts junk ('12' → 2001-12-01,
 * 'March 7' → 2001-03-07), rolls impossible dates over (2025-02-30 → 2025-03-02) and reads
 * non-ISO forms ('2025/01/20 10:58:40') in the host's local time zone, so two hosts would
 * publish different instants from the same file. The arithmetic below never consults the
 * host's time zone.
 */
export function parseTimestamp(s: string): number {
  const m = ISO_TIMESTAMP_RE.exec(s.trim());
  if (!m) return Number.NaN;
  const [, y = '', mo = '', d = '', hh = '0', mi = '0', ss = '0', fraction = '', zone] = m;
  const [year, month, day, hour, minute, second] = [Number(y), Number(mo), Number(d), Number(hh), Number(mi), Number(ss)];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  // Digits below the millisecond are dropped (a floor, as for raw ns/µs timestamps and as
  // Date.parse did for the naive form this replaces).
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999, which would let
  // '0012-01-01' pass the range check as 1912.
  const midnight = new Date(0).setUTCFullYear(year, month - 1, day);
  return midnight + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
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

/** Days in month `m` (1–12) of year `y`, proleptic Gregorian (arithmetic: Date.UTC misreads years 0–99). */
function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
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

/**
 * The decimal a FLOAT (32-bit) value was written from: the shortest decimal that reads back to
 * the same float32 (285.41 for the float32 nearest 285.41, which as a double is
 * 285.4100036621094). Widening the float32 to a double kept that noise in every stored amount
 * and sum (found by an audit); a producer writing FLOAT meant the short decimal. 9 significant
 * digits always identify a float32, so the loop ends. Integers and non-finite values pass as they are.
 */
export function float32Decimal(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  for (let digits = 1; digits < 9; digits++) {
    const d = Number(v.toPrecision(digits));
    if (Math.fround(d) === v) return d;
  }
  return Number(v.toPrecision(9));
}
