// Primitive, pure parsers for query-string values, and for the Accept header that picks a list
// endpoint's export format. With Express 5's "simple" query parser a value is a string or, when
// repeated, an array of strings; anything else is rejected, so `limit[$gt]=1`-style operator
// objects can never reach MongoDB.
import { badParameter } from '../api-errors.js';

const INTEGER = /^\d{1,15}$/;
// Digits with an optional fraction. No cap on the number of digits: the bounds decide (a cap of
// 15 refused min_expected=9007199254740991, its own documented maximum). The leading `-` is
// kept only so that a negative gets the "between min and max" message.
const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d{1,3})?$/;

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

/** The trimmed items of a comma-separated list, as given (repeats kept); an empty item is a 400. */
export function listItems(parameter: string, raw: unknown): string[] {
  const text = singleValue(parameter, raw);
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw badParameter(parameter, text, 'a comma-separated list of non-empty names');
  return items;
}

/** Comma-separated list of non-empty items (duplicates removed, order kept). */
export function parseList(parameter: string, raw: unknown, maxItems: number): string[] {
  const items = [...new Set(listItems(parameter, raw))];
  if (items.length > maxItems) throw badParameter(parameter, singleValue(parameter, raw), `at most ${maxItems} items`);
  return items;
}

// One media range of an Accept header: `type/subtype` (either may be `*`) and parameters.
const MEDIA_RANGE = /^([\w!#$%&'*+.^`|~-]+)\/([\w!#$%&'*+.^`|~-]+)$/;
// RFC 9110 §12.4.2 weight: 0 to 1 with at most three decimals.
const WEIGHT = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

interface AcceptedRange {
  readonly range: string;
  readonly q: number;
  /** 2 for `type/subtype`, 1 for `type/*`, 0 for `*\/*`. */
  readonly specificity: number;
  readonly order: number;
}

/** The media ranges of an Accept value, lower-cased; a malformed range or q-value is ignored. */
function acceptedRanges(accept: string): AcceptedRange[] {
  const ranges: AcceptedRange[] = [];
  accept.split(',').forEach((part, order) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const match = MEDIA_RANGE.exec(range);
    if (!match) return;
    const weight = params.find((p) => /^q\s*=/.test(p))?.replace(/^q\s*=\s*/, '');
    if (weight !== undefined && !WEIGHT.test(weight)) return;
    const specificity = match[1] === '*' ? 0 : match[2] === '*' ? 1 : 2;
    ranges.push({ range, q: weight === undefined ? 1 : Number(weight), specificity, order });
  });
  return ranges;
}

/**
 * The candidate an Accept value prefers, or undefined when it accepts none. `candidates` maps
 * each key to the media ranges that count for it (a wildcard counts only where listed). As in
 * RFC 9110 and the `negotiator` package: a candidate takes the q of the most specific range
 * naming it (`application/json;q=0, *\/*` refuses JSON), q=0 is not acceptable, and the highest
 * q wins, then the more specific range, then the range listed first.
 */
export function preferredByAccept<K extends string>(accept: string, candidates: Readonly<Record<K, readonly string[]>>): K | undefined {
  const ranges = acceptedRanges(accept);
  const bySpecificity = (a: AcceptedRange, b: AcceptedRange) => b.specificity - a.specificity || b.q - a.q || a.order - b.order;
  const byPreference = (a: AcceptedRange, b: AcceptedRange) => b.q - a.q || bySpecificity(a, b);
  let best: { key: K; match: AcceptedRange } | undefined;
  for (const key of Object.keys(candidates) as K[]) {
    const match = ranges.filter((r) => candidates[key].includes(r.range)).sort(bySpecificity)[0];
    if (match && match.q > 0 && (!best || byPreference(match, best.match) < 0)) best = { key, match };
  }
  return best?.key;
}
