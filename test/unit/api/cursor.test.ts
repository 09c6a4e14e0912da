// A keyset cursor is valid only for the exact sort it was made for: same fields, same
// directions, same order. A cursor of another sort with values of the same number and types
// would otherwise select the wrong rows silently.
import { describe, expect, it } from 'vitest';
import type { SortSpec } from '../../../src/catalog/gold-catalog.js';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { endpointFeatures } from '../../../src/api/endpoint-features.js';
import { decodeCursor, encodeCursor, sortSignature } from '../../../src/api/query/cursor.js';
import { listRouteSpec } from '../../../src/api/query/parse-list-query.js';

const scores = listRouteSpec(datasetByName('client_scores'), endpointFeatures('client_scores'));
const row = { expected_value_12m: 10.5, recency_days: 12, prob_reachat_12m: 0.25, id_client: 3 };
const sortOf = (text: string): SortSpec[] =>
  text.split(',').map((s) => {
    const [field = '', dir = 'asc'] = s.split(':');
    return { field, dir: dir as SortSpec['dir'] };
  });

describe('a keyset cursor', () => {
  it('is accepted for the sort it was made for', () => {
    const sort = sortOf('expected_value_12m:desc,id_client:asc');
    expect(decodeCursor(encodeCursor(sort, row), sort, scores.columns)).toEqual([10.5, 3]);
  });

  it.each([
    ['another field of the same type', 'prob_reachat_12m:desc,id_client:asc'],
    ['another field of another numeric type', 'recency_days:desc,id_client:asc'],
    ['the same field in the other direction', 'expected_value_12m:asc,id_client:asc'],
    ['the tie-breaker in the other direction', 'expected_value_12m:desc,id_client:desc'],
    ['the same fields in another order', 'id_client:asc,expected_value_12m:desc'],
  ])('made for %s (same number of values) is rejected as a 400 naming `after`', (_why, madeFor) => {
    const wanted = sortOf('expected_value_12m:desc,id_client:asc');
    const cursor = encodeCursor(sortOf(madeFor), row);
    let thrown: unknown;
    try {
      decodeCursor(cursor, wanted, scores.columns);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400, details: { parameter: 'after' } });
    expect(String((thrown as Error).message)).toContain('after');
  });

  it('whose signature was rewritten to another sort is rejected too', () => {
    const wanted = sortOf('expected_value_12m:desc,id_client:asc');
    const forged = Buffer.from(JSON.stringify({ s: 'expected_value_12m:asc,id_client:asc', v: [10.5, 3] })).toString('base64url');
    expect(() => decodeCursor(forged, wanted, scores.columns)).toThrow(/after/);
    const unsigned = Buffer.from(JSON.stringify({ v: [10.5, 3] })).toString('base64url');
    expect(() => decodeCursor(unsigned, wanted, scores.columns)).toThrow(/after/);
  });

  it('carries the signature the API reports as meta.sort', () => {
    expect(sortSignature(sortOf('segment_label:asc,recency_days:desc,id_client:asc'))).toBe('segment_label:asc,recency_days:desc,id_client:asc');
  });
});
