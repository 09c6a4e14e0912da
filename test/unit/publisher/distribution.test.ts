import { describe, expect, it } from 'vitest';
import { binOf, cutEdges, pandasCut, roundFrac } from '../../../publisher/derive/distribution.js';
import { pythonFloatRepr } from '../../../publisher/derive/python-float.js';

type Expected = Array<[label: string, min: number, max: number, count: number]>;
const simplify = (values: number[]): Expected => pandasCut(values).map((b) => [b.bucket, b.min, b.max, b.count]);

// Every expected table below was printed by pandas 1.5.3 (`pd.cut(pd.Series(values), 12)`,
// then value_counts(sort=False) with each Interval's str/left/right), not by this code.
describe('pandas cut with 12 bins', () => {
  it('lowers the first edge by 0.1 % of the range and keeps empty bins', () => {
    expect(simplify([1, 2, 3, 10])).toEqual([
      ['(0.991, 1.75]', 0.991, 1.75, 1], ['(1.75, 2.5]', 1.75, 2.5, 1], ['(2.5, 3.25]', 2.5, 3.25, 1], ['(3.25, 4.0]', 3.25, 4.0, 0],
      ['(4.0, 4.75]', 4.0, 4.75, 0], ['(4.75, 5.5]', 4.75, 5.5, 0], ['(5.5, 6.25]', 5.5, 6.25, 0], ['(6.25, 7.0]', 6.25, 7.0, 0],
      ['(7.0, 7.75]', 7.0, 7.75, 0], ['(7.75, 8.5]', 7.75, 8.5, 0], ['(8.5, 9.25]', 8.5, 9.25, 0], ['(9.25, 10.0]', 9.25, 10.0, 1],
    ]);
  });

  it('puts a value equal to an inner edge in the bin on its left (right-closed)', () => {
    // 3.25 and 4.0 are exact edges of [1, 10]: they belong to (2.5, 3.25] and (3.25, 4.0].
    const counts = pandasCut([1, 3.25, 4, 10]).map((b) => b.count);
    expect(counts).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('widens a constant series by 0.1 % on both sides and raises precision until labels differ', () => {
    expect(simplify([5, 5, 5]).slice(4, 8)).toEqual([
      ['(4.9983, 4.9992]', 4.9983, 4.9992, 0], ['(4.9992, 5.0]', 4.9992, 5.0, 3], ['(5.0, 5.0008]', 5.0, 5.0008, 0], ['(5.0008, 5.0017]', 5.0008, 5.0017, 0],
    ]);
  });

  it('widens an all-zero series by 0.001', () => {
    const b = simplify([0]);
    expect(b[0]).toEqual(['(-0.001, -0.000833]', -0.001, -0.000833, 0]);
    expect(b[5]).toEqual(['(-0.000167, 0.0]', -0.000167, 0.0, 1]);
  });

  it('rounds fractional edges to 3 significant digits and prints them like Python', () => {
    const b = simplify([0.0001, 0.0002, 0.00035]);
    expect(b[0]).toEqual(['(9.98e-05, 0.000121]', 9.98e-5, 0.000121, 1]);
    expect(b[11]).toEqual(['(0.000329, 0.00035]', 0.000329, 0.00035, 1]);
  });

  it('handles negative values and a lowered first edge below zero', () => {
    expect(simplify([1, 9999.99, 10000])[0]).toEqual(['(-8.999, 834.25]', -8.999, 834.25, 1]);
    expect(simplify([-5.5, 0.25, 7.125]).map((r) => r[0]).slice(0, 6)).toEqual(['(-5.513, -4.448]', '(-4.448, -3.396]', '(-3.396, -2.344]', '(-2.344, -1.292]', '(-1.292, -0.24]', '(-0.24, 0.812]']);
  });

  it('gives no buckets for no values', () => {
    expect(pandasCut([])).toEqual([]);
  });

  it('numbers buckets 0..11 in edge order', () => {
    expect(pandasCut([1, 1, 1, 1000]).map((b) => b.bucket_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(simplify([1, 1, 1, 1000])[0]).toEqual(['(0.001, 84.25]', 0.001, 84.25, 3]);
  });
});

describe('cut helpers', () => {
  it('binOf returns -1 outside (first edge, last edge]', () => {
    const edges = cutEdges(0, 12);
    expect(binOf(edges, edges[0] as number)).toBe(-1);
    expect(binOf(edges, 12.0001)).toBe(-1);
    expect(binOf(edges, 12)).toBe(11);
    expect(binOf(edges, 0)).toBe(0);
  });

  it('roundFrac rounds half to even like numpy.around', () => {
    expect(roundFrac(2.5, 0)).toBe(2);
    expect(roundFrac(3.5, 0)).toBe(4);
    expect(roundFrac(0.0012345, 3)).toBe(0.00123);
  });

  it('pythonFloatRepr follows Python repr', () => {
    expect(pythonFloatRepr(50)).toBe('50.0');
    expect(pythonFloatRepr(50.833)).toBe('50.833');
    expect(pythonFloatRepr(0.0001)).toBe('0.0001');
    expect(pythonFloatRepr(0.0000998)).toBe('9.98e-05');
    expect(pythonFloatRepr(1e16)).toBe('1e+16');
    expect(pythonFloatRepr(1234567890123456)).toBe('1234567890123456.0');
    expect(pythonFloatRepr(-0.24)).toBe('-0.24');
    expect(pythonFloatRepr(0)).toBe('0.0');
  });
});
