// fast-check generators for API requests: valid list queries built from the catalog (real
// columns in sort and fields, in-range filters, keyset cursors, export formats), the same with
// one defect, and every endpoint with query strings mixing known parameters, operator-injection
// spellings, prototype keys and junk, with odd values and odd headers.
import fc from 'fast-check';
import { catalogEndpoints } from '../../../src/catalog/gold-catalog.js';
import { queryString, refusedQuery, validQuery } from '../list-query-arbitraries.js';

export interface FuzzRequest {
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string>;
}

const KNOWN_PARAMS = ['limit', 'offset', 'sort', 'fields', 'after', 'format', 'segment', 'pays', 'min_prob', 'max_prob', 'min_expected'];
const NASTY_KEYS = ['limit[$gt]', 'sort[$where]', 'fields[]', '__proto__', 'constructor', 'prototype', '$where', 'after[0]', 'sort[]', 'a.b', ''];
const ODD_VALUES = [
  '', '0', '-1', '1', '1.5', '1e309', '-1e309', 'NaN', 'Infinity', '-0', '0x10', '99999999999999999999999', '9007199254740993',
  '1000000000', 'null', 'undefined', 'true', '[]', '{}', '{"$gt":0}', '$where', 'this.x==1', 'mois:asc', 'ca:desc', 'ca:sideways',
  'ca:asc,ca:desc', 'mois,ca,_id', '_id', '__proto__', 'VIP', 'A relancer', 'France', 'csv', 'ndjson', 'xml', 'eyJ4IjoxfQ', '%', '%zz', '%00',
  '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", 'é', '🙂', ' ', ',,,,', ':::', 'a'.repeat(5_000),
];
const RAW_ALPHABET = 'abcAZ09%$[]{}.:,;=+-_~!*\'()';

const key = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...KNOWN_PARAMS) },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_VALUES) },
  { weight: 2, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);
// Some pairs go out percent-encoded, some raw (from a URL-safe but tricky alphabet, e.g. '%zz').
const rawText = fc.string({ unit: fc.constantFrom(...RAW_ALPHABET), maxLength: 20 });
const pair = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(key, value).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`) },
  { weight: 1, arbitrary: fc.tuple(rawText, rawText).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: key.map((k) => encodeURIComponent(k)) },
);

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 120 });
const headers = fc.record(
  {
    accept: fc.oneof(fc.constantFrom('application/json', 'text/csv', 'application/x-ndjson', '*/*', 'text/html', 'image/png', ''), headerText),
    'x-api-key': headerText,
    'if-none-match': fc.oneof(fc.constantFrom('*', '"x"', 'W/"abc"'), headerText),
    'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'gzip;q=0', '*'), headerText),
    origin: fc.oneof(fc.constantFrom('https://example.com', 'null'), headerText),
    'x-forwarded-for': headerText,
    range: headerText,
    'content-type': headerText,
  },
  { requiredKeys: [] },
);

const path = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...catalogEndpoints(), '/livez', '/readyz', '/openapi.json') },
  { weight: 1, arbitrary: rawText.map((s) => `/${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('/kpis/', '/scores/..', '/KPIS', '//kpis', '/monthly.json', '/docs/../openapi.json') },
);

const junkRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  path,
  query: fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&')),
  headers,
});

// Headers a real client sends; valid queries keep them so that most of those are answered 200.
const saneHeaders = fc.record(
  {
    accept: fc.constantFrom('application/json', '*/*', 'text/csv', 'application/x-ndjson'),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', 'gzip, deflate, br, zstd'),
  },
  { requiredKeys: [] },
);

// Cursors are made for random keyset-able sorts with values of the catalog types (the fuzzer
// has no first page to take them from); the API accepts any such cursor.
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ q: validQuery(), headers: saneHeaders }).map(({ q, headers: h }) => ({ path: q.path, query: queryString(q.pairs), headers: h })) },
  { weight: 2, arbitrary: fc.record({ q: refusedQuery(), headers: saneHeaders }).map(({ q, headers: h }) => ({ path: q.path, query: queryString(q.pairs), headers: h })) },
  { weight: 3, arbitrary: junkRequest },
);
