import { describe, expect, it } from 'vitest';
import { Decimal128, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { compareValues, parseSortSpec, sortDocuments } from '../../src/query/compare.js';

describe('compareValues', () => {
  it('orders BSON types like MongoDB', () => {
    const ordered = [new MinKey(), null, 1, 'a', { a: 1 }, [1], new ObjectId('000000000000000000000001'), false, new Date(0), /x/, new MaxKey()];
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareValues(ordered[i], ordered[i + 1]), `${String(ordered[i])} < ${String(ordered[i + 1])}`).toBe(-1);
      expect(compareValues(ordered[i + 1], ordered[i])).toBe(1);
    }
  });

  it('treats null and missing as equal', () => {
    expect(compareValues(null, undefined)).toBe(0);
  });

  it('compares Long exactly against doubles beyond 2^53', () => {
    const big = Long.fromString('9007199254740993');
    expect(compareValues(big, 9007199254740992)).toBe(1);
    expect(compareValues(9007199254740992, big)).toBe(-1);
    expect(compareValues(Long.fromNumber(5), 5)).toBe(0);
    expect(compareValues(Long.fromNumber(5), 5.5)).toBe(-1);
    expect(compareValues(Decimal128.fromString('2.5'), 2)).toBe(1);
  });

  it('puts NaN below every other number', () => {
    expect(compareValues(NaN, -Infinity)).toBe(-1);
    expect(compareValues(NaN, NaN)).toBe(0);
  });

  it('compares documents field by field and arrays element by element', () => {
    expect(compareValues({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(-1);
    expect(compareValues({ a: 1 }, { a: 1, b: 0 })).toBe(-1);
    expect(compareValues({ a: 1 }, { b: 0 })).toBe(-1);
    expect(compareValues([1, 2], [1, 2, 0])).toBe(-1);
    expect(compareValues([2], [1, 9])).toBe(1);
  });
});

describe('sortDocuments', () => {
  it('sorts by several keys, stably', () => {
    const docs = [{ id: 1, a: 2, b: 'x' }, { id: 2, a: 1, b: 'y' }, { id: 3, a: 2, b: 'a' }, { id: 4, a: 1, b: 'y' }];
    const sorted = sortDocuments(docs, parseSortSpec({ a: -1, b: 1 }, 'test'));
    expect(sorted.map((d) => d.id)).toEqual([3, 1, 2, 4]);
  });

  it('uses the smallest array element ascending and the largest descending; empty arrays first', () => {
    const docs = [{ id: 1, v: [5, 1] }, { id: 2, v: 3 }, { id: 3, v: [] }, { id: 4, v: null }, { id: 5, v: [4, 9] }];
    expect(sortDocuments(docs, parseSortSpec({ v: 1 }, 't')).map((d) => d.id)).toEqual([3, 4, 1, 2, 5]);
    expect(sortDocuments(docs, parseSortSpec({ v: -1 }, 't')).map((d) => d.id)).toEqual([5, 1, 2, 4, 3]);
  });

  it('sorts on dotted paths through embedded documents', () => {
    const docs = [{ id: 1, m: { x: 2 } }, { id: 2, m: { x: 1 } }, { id: 3 }];
    expect(sortDocuments(docs, parseSortSpec({ 'm.x': 1 }, 't')).map((d) => d.id)).toEqual([3, 2, 1]);
  });

  it('rejects directions other than 1 and -1', () => {
    expect(() => parseSortSpec({ a: 2 }, 'find.sort')).toThrow(/must be 1 .* or -1/);
    expect(() => parseSortSpec({}, '$sort')).toThrow(/at least one sort key/);
  });
});
