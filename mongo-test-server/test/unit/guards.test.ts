import { describe, expect, it } from 'vitest';
import { Decimal128, Long } from 'bson';
import { assertNoWideLiterals, assertNotTouchingWide, assertSafeUpdate, assertSupportedStages, expressionRoots, filterRoots, pipelineRoots } from '../../src/query/guards.js';

describe('field references', () => {
  it('collects the root fields a filter reads, through logical operators and $expr', () => {
    const roots = filterRoots({ 'a.b': 1, $or: [{ c: { $gt: 1 } }, { $and: [{ d: 1 }] }], $expr: { $gt: ['$e.f', '$$NOW'] } });
    expect([...roots].sort()).toEqual(['a', 'c', 'd', 'e']);
  });

  it('collects $field references in expressions but not $$variables', () => {
    expect([...expressionRoots({ $add: ['$x', { $multiply: ['$y.z', 2] }], v: '$$ROOT', w: '$$CURRENT.q' })].sort()).toEqual(['q', 'x', 'y']);
  });

  it('collects pipeline reads including $match keys, $lookup localField and $facet sub-pipelines', () => {
    const roots = pipelineRoots([{ $match: { m: 1 } }, { $lookup: { from: 'o', localField: 'lf', foreignField: 'ff', as: 'j' } }, { $facet: { a: [{ $group: { _id: '$g', s: { $sum: '$s' } } }] } }]);
    expect([...roots].sort()).toEqual(['g', 'lf', 'm', 's']);
  });
});

describe('Int64/Decimal128 guards', () => {
  it('refuses Long, Decimal128 and bigint literals anywhere', () => {
    expect(() => assertNoWideLiterals({ a: { $in: [1, Long.fromNumber(2)] } }, 'find filter')).toThrow(/Int64\/Decimal128 literal/);
    expect(() => assertNoWideLiterals([{ $match: { a: Decimal128.fromString('1') } }], 'pipeline')).toThrow();
    expect(() => assertNoWideLiterals({ a: 1n }, 'filter')).toThrow();
    expect(() => assertNoWideLiterals({ a: 1, b: 'x', c: [new Date()] }, 'filter')).not.toThrow();
  });

  it('refuses reads of fields known to hold wide numbers, naming the field and namespace', () => {
    expect(() => assertNotTouchingWide(['amount'], new Set(['amount']), 'db.c', 'find filter')).toThrow(/find filter on db\.c reads field 'amount'/);
    expect(() => assertNotTouchingWide(['other'], new Set(['amount']), 'db.c', 'find filter')).not.toThrow();
  });

  it('refuses arithmetic updates on wide fields but allows $set', () => {
    expect(() => assertSafeUpdate({ $inc: { 'big.x': 1 } }, new Set(['big']), 'db.c')).toThrow(/update \$inc/);
    expect(() => assertSafeUpdate({ $max: { n: Long.fromNumber(3) } }, new Set(), 'db.c')).toThrow();
    expect(() => assertSafeUpdate({ $set: { big: 1 } }, new Set(['big']), 'db.c')).not.toThrow();
  });
});

describe('assertSupportedStages', () => {
  it('accepts the supported stages, including nested sub-pipelines', () => {
    expect(() => assertSupportedStages([{ $match: {} }, { $facet: { a: [{ $sample: { size: 1 } }] } }, { $lookup: { from: 'x', pipeline: [{ $limit: 1 }], as: 'y' } }], 'aggregate')).not.toThrow();
  });

  it('refuses $out, $merge and unknown stages with code 40324, even inside $facet', () => {
    expect(() => assertSupportedStages([{ $out: 'x' }], 'aggregate')).toThrow(expect.objectContaining({ code: 40324 }));
    expect(() => assertSupportedStages([{ $facet: { a: [{ $merge: 'x' }] } }], 'aggregate')).toThrow(/\$merge/);
    expect(() => assertSupportedStages([{ $search: {} }], 'aggregate')).toThrow(/Unrecognized pipeline stage name: '\$search'/);
  });

  it('refuses stages with zero or several fields and non-array pipelines', () => {
    expect(() => assertSupportedStages([{ $match: {}, $limit: 1 }], 'aggregate')).toThrow(expect.objectContaining({ code: 40323 }));
    expect(() => assertSupportedStages({ $match: {} }, 'aggregate')).toThrow(expect.objectContaining({ code: 14 }));
  });
});
