// How raw CSV text becomes values, following what the reference Pandas pipeline does with
// `read_csv` + `to_numeric(errors='coerce')` + `to_datetime(errors='coerce')`. Parsers read a
// span [start, end) of a text so the CSV reader never has to cut a string per field.
import type { CsvColumn } from './csv-reader.js';

/** Strings `pandas.read_csv` reads as missing by default (matched exactly, untrimmed). */
const NA_TOKENS = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);
const NA_MAX_LENGTH = 8;

export function isMissing(raw: string): boolean {
  return NA_TOKENS.has(raw);
}

function missingIn(text: string, start: number, end: number): boolean {
  return end === start || (end - start <= NA_MAX_LENGTH && NA_TOKENS.has(text.slice(start, end)));
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(?:inf|infinity)$/i;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A decimal number in text[start, end) (surrounding blanks allowed); ±Infinity for inf;
 * NaN when missing or not numeric.
 */
function numberIn(text: string, start: number, end: number): number {
  // Fast path for plain `digits[.digits]`: an exact integer mantissa divided by an exact power
  // of ten is correctly rounded, so it equals Number(text) bit for bit.
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  let i = start;
  for (; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
      if (decimals >= 0) decimals += 1;
    } else if (c === 46 && decimals < 0) {
      decimals = 0;
    } else break;
  }
  if (i === end && digits > 0 && digits <= 15) return decimals > 0 ? mantissa / (POW10[decimals] as number) : mantissa;
  if (missingIn(text, start, end)) return Number.NaN;
  const s = text.slice(start, end).trim();
  if (DECIMAL.test(s)) return Number(s);
  if (INFINITE.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number.NaN;
}

export function parseNumber(raw: string): number {
  return numberIn(raw, 0, raw.length);
}

/** An identifier: a numeric value that is a whole, safe integer ("12" or "12.0"); NaN otherwise. */
export function parseId(raw: string): number {
  return asId(parseNumber(raw));
}

function asId(value: number): number {
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

export const DAY_MS = 86_400_000;

function digitsIn(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i += 1) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an ISO-like naive timestamp in text[start, end) — `YYYY-MM-DD`, optionally followed by
 * `T` or a space and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` — to epoch milliseconds (UTC,
 * fraction truncated to the millisecond). Impossible dates (2025-02-30, 25:00) and anything
 * else give NaN, as `to_datetime(errors='coerce')` gives NaT.
 */
function timestampIn(text: string, from: number, to: number): number {
  let s0 = from;
  let e = to;
  while (s0 < e && text.charCodeAt(s0) === 32) s0 += 1;
  while (e > s0 && text.charCodeAt(e - 1) === 32) e -= 1;
  const n = e - s0;
  if (n < 10 || text.charCodeAt(s0 + 4) !== 45 || text.charCodeAt(s0 + 7) !== 45) return Number.NaN;
  const year = digitsIn(text, s0, 4);
  const month = digitsIn(text, s0 + 5, 2);
  const day = digitsIn(text, s0 + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let milli = 0;
  if (n > 10) {
    const sep = text.charCodeAt(s0 + 10);
    if ((sep !== 32 && sep !== 84) || n < 16 || text.charCodeAt(s0 + 13) !== 58) return Number.NaN;
    hour = digitsIn(text, s0 + 11, 2);
    minute = digitsIn(text, s0 + 14, 2);
    if (n > 16) {
      if (text.charCodeAt(s0 + 16) !== 58 || n < 19) return Number.NaN;
      second = digitsIn(text, s0 + 17, 2);
      if (n > 19) {
        if (text.charCodeAt(s0 + 19) !== 46 || n === 20) return Number.NaN;
        for (let i = s0 + 20; i < e; i += 1) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) return Number.NaN;
          if (i < s0 + 23) milli += d * 10 ** (s0 + 22 - i);
        }
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  // Date.UTC maps years 0–99 to 1900–1999; move such dates back to their real year.
  return year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
}

export function parseTimestamp(raw: string): number {
  return timestampIn(raw, 0, raw.length);
}

/** Column accessors: parse row `i` of a CSV column in place. */
export const at = Object.freeze({
  missing: (c: CsvColumn, i: number): boolean => (c.quoted.size > 0 && c.quoted.has(i) ? isMissing(c.get(i)) : missingIn(c.text, c.start[i] as number, c.end[i] as number)),
  number: (c: CsvColumn, i: number): number => (c.quoted.size > 0 && c.quoted.has(i) ? parseNumber(c.get(i)) : numberIn(c.text, c.start[i] as number, c.end[i] as number)),
  id: (c: CsvColumn, i: number): number => asId(at.number(c, i)),
  timestamp: (c: CsvColumn, i: number): number => (c.quoted.size > 0 && c.quoted.has(i) ? parseTimestamp(c.get(i)) : timestampIn(c.text, c.start[i] as number, c.end[i] as number)),
});

/** Whole days from `from` to `to` (both epoch ms), rounded down like pandas `Timedelta.days`. */
export function wholeDays(to: number, from: number): number {
  return Math.floor((to - from) / DAY_MS);
}

/** Midnight (UTC) of the day holding `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
