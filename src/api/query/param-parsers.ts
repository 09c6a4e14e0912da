// Primitive, pure parsers for query-string values. With Express 5's "simple" query parser a
// value is a string or, when repeated, an array of strings; anything else is rejected, so
// `limit[$gt]=1`-style operator objects can never reach MongoDB.
import { badParameter } from '../api-errors.js';

const INTEGER = /^\d{1,15}$/;
const DECIMAL = /^-?(\d{1,15})(\.\d{1,15})?([eE][+-]?\d{1,3})?$/;

/** The single string value of a parameter; repeated or non-string values are a 400. */
export function singleValue(parameter: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) throw badParameter(parameter, raw.join(','), 'a single value (the parameter was given more than once)');
  throw badParameter(parameter, String(raw), 'a plain string value');
}

export function parseInteger(parameter: string, raw: unknown, min: number, max: number): number {
  const text = singleValue(parameter, raw).trim();
  const value = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badParameter(parameter, text, `an integer between ${min} and ${max}`);
  }
  return value;
}

export function parseNumber(parameter: string, raw: unknown, min: number, max: number): number {
  const text = singleValue(parameter, raw).trim();
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw badParameter(parameter, text, `a number between ${min} and ${max}`);
  }
  return value;
}

/** Comma-separated list of non-empty items (duplicates removed, order kept). */
export function parseList(parameter: string, raw: unknown, maxItems: number): string[] {
  const text = singleValue(parameter, raw);
  const items = [...new Set(text.split(',').map((s) => s.trim()))];
  if (items.length === 0 || items.some((s) => s === '')) throw badParameter(parameter, text, 'a comma-separated list of non-empty names');
  if (items.length > maxItems) throw badParameter(parameter, text, `at most ${maxItems} items`);
  return items;
}
