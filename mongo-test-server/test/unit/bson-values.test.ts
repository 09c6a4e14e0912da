import { describe, expect, it } from 'vitest';
import { Binary, Decimal128, Long, ObjectId } from 'bson';
import { cloneValue, formatDocument, keyOf, valuesAtPath } from '../../src/bson-values.js';

describe('cloneValue', () => {
  it('copies nested objects, arrays, Dates and Binary without aliasing', () => {
    const original = { a: { b: [1, { c: 2 }] }, d: new Date(5), bin: new Binary(Buffer.from([1, 2])), id: new ObjectId() };
    const copy = cloneValue(original);
    expect(copy).toEqual(original);
    (copy.a.b[1] as { c: number }).c = 99;
    copy.d.setTime(0);
    copy.bin.buffer[0] = 7;
    expect((original.a.b[1] as { c: number }).c).toBe(2);
    expect(original.d.getTime()).toBe(5);
    expect(original.bin.buffer[0]).toBe(1);
    expect(copy.id).toBe(original.id);
  });
});

describe('keyOf', () => {
  it('gives numerically equal values of different types the same key', () => {
    expect(keyOf(1)).toBe(keyOf(Long.fromNumber(1)));
    expect(keyOf(1.5)).toBe(keyOf(Decimal128.fromString('1.5')));
    expect(keyOf(0)).toBe(keyOf(-0));
  });

  it('treats null and missing alike but distinguishes types and structure', () => {
    expect(keyOf(null)).toBe(keyOf(undefined));
    expect(keyOf('1')).not.toBe(keyOf(1));
    expect(keyOf({ a: 1, b: 2 })).not.toBe(keyOf({ b: 2, a: 1 }));
    expect(keyOf([1, [2]])).not.toBe(keyOf([[1], 2]));
    expect(keyOf(Long.fromString('9007199254740993'))).not.toBe(keyOf(9007199254740992));
  });
});

describe('valuesAtPath', () => {
  it('fans out through arrays of documents and supports numeric indexes', () => {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 4 }], d: [10, 20] };
    expect(valuesAtPath(doc, 'a.b')).toEqual([1, [2, 3]]);
    expect(valuesAtPath(doc, 'd.1')).toEqual([20]);
    expect(valuesAtPath(doc, 'x.y')).toEqual([]);
  });
});

describe('formatDocument', () => {
  it('renders keys like mongod E11000 messages', () => {
    expect(formatDocument({ id: 1, name: 'x', o: new ObjectId('0123456789abcdef01234567'), n: null })).toBe(`{ id: 1, name: "x", o: ObjectId('0123456789abcdef01234567'), n: null }`);
  });
});
