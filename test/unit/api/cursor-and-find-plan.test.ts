import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { endpointFeatures } from '../../../src/api/endpoint-features.js';
import { decodeCursor, encodeCursor, keysetFilter } from '../../../src/api/query/cursor.js';
import { buildFindPlan } from '../../../src/api/query/mongo-find.js';
import { listRouteSpec, parseListQuery } from '../../../src/api/query/parse-list-query.js';

const scores = listRouteSpec(datasetByName('client_scores'), endpointFeatures('client_scores'));

describe('keyset cursors', () => {
  it('round-trip the sort values with their catalog types, dates included', () => {
    const sort = [
      { field: 'reference_date', dir: 'asc' as const },
      { field: 'expected_value_12m', dir: 'desc' as const },
      { field: 'id_client', dir: 'asc' as const },
    ];
    const row = { reference_date: new Date('2026-01-20T00:00:00Z'), expected_value_12m: 123.456789012345, id_client: 42 };
    const values = decodeCursor(encodeCursor(sort, row), sort, scores.columns);
    expect(values).toEqual([new Date('2026-01-20T00:00:00Z'), 123.456789012345, 42]);
  });

  it('reject tampered cursors as a 400 on `after`', () => {
    const sort = [{ field: 'id_client', dir: 'asc' as const }];
    const forged = Buffer.from(JSON.stringify({ s: 'id_client:asc', v: [{ $gt: 0 }] })).toString('base64url');
    for (const text of [forged, 'not a cursor!', Buffer.from('[1]').toString('base64url'), 'x'.repeat(3000)]) {
      expect(() => decodeCursor(text, sort, scores.columns)).toThrow(/after/);
    }
  });

  it('select rows strictly after the cursor in mixed sort directions', () => {
    const sort = [
      { field: 'a', dir: 'desc' as const },
      { field: 'b', dir: 'asc' as const },
    ];
    expect(keysetFilter(sort, [5, 7])).toEqual({ $or: [{ a: { $lt: 5 } }, { a: 5, b: { $gt: 7 } }] });
    expect(keysetFilter([{ field: 'jour', dir: 'asc' }], ['2025-01-01'])).toEqual({ jour: { $gt: '2025-01-01' } });
  });
});

describe('buildFindPlan', () => {
  it('projects only catalog columns without _id and sorts with the tie-breaker', () => {
    const plan = buildFindPlan(parseListQuery(scores, { fields: 'id_client,segment_label', limit: '3', offset: '6' }), new Map());
    expect(plan).toEqual({
      filter: {},
      sort: { expected_value_12m: -1, id_client: 1 },
      projection: { _id: 0, id_client: 1, segment_label: 1 },
      skip: 6,
      limit: 3,
    });
  });

  it('combines filters, resolved lookups and the keyset condition with $and', () => {
    const first = parseListQuery(scores, { min_prob: '0.5', pays: 'France' });
    const after = encodeCursor(first.sort, { expected_value_12m: 10, id_client: 3 });
    const query = parseListQuery(scores, { min_prob: '0.5', pays: 'France', after });
    const lookup = query.filters.find((f) => f.kind === 'lookup')!;
    const plan = buildFindPlan(query, new Map([[lookup, [3, 4]]]), ['expected_value_12m']);
    expect(plan.filter).toEqual({
      $and: [
        { id_client: { $in: [3, 4] } },
        { prob_reachat_12m: { $gte: 0.5 } },
        { $or: [{ expected_value_12m: { $lt: 10 } }, { expected_value_12m: 10, id_client: { $gt: 3 } }] },
      ],
    });
    expect(plan.limit).toBe(5000);
  });

  it('uses limit 0 (no limit) for exports without an explicit limit', () => {
    expect(buildFindPlan(parseListQuery(scores, { format: 'ndjson' }), new Map()).limit).toBe(0);
  });
});
