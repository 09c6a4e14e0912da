import { describe, expect, test } from 'vitest';
import { groupSum, median, minMax, quantile } from '../../../tools/gold-builder/numeric.js';

const f64 = (...v: number[]) => Float64Array.from(v);

describe('numerics match NumPy/pandas', () => {
  test('quantiles interpolate linearly at virtual index (n − 1)·q', () => {
    // numpy.quantile([1, 2, 3, 4], 0.75) == 3.25; ([0..19], 0.95) == 18.05
    expect(quantile(f64(4, 1, 3, 2), 0.75)).toBe(3.25);
    expect(quantile(Float64Array.from({ length: 20 }, (_, i) => i), 0.95)).toBeCloseTo(18.05, 12);
    expect(quantile(f64(7), 0.25)).toBe(7);
  });

  test('quantiles with ties', () => {
    expect(quantile(f64(1, 1, 1, 5), 0.75)).toBe(2); // index 2.25 between 1 and 5
    expect(quantile(f64(2, 2, 2, 2), 0.95)).toBe(2);
    expect(quantile(f64(0, 2, 2), 0.95)).toBe(2);
    expect(quantile(f64(0, 150.5, 230), 0.75)).toBe(190.25);
  });

  test('median of an even count is the mean of the middle two', () => {
    expect(median(f64(3, 1, 4, 10))).toBe(3.5);
    expect(median(f64(5, 1, 3))).toBe(3);
  });

  test('minMax scales to [0, 1] and gives zeros when all values are equal', () => {
    expect(Array.from(minMax(f64(2, 4, 6)))).toEqual([0, 0.5, 1]);
    expect(Array.from(minMax(f64(3, 3)))).toEqual([0, 0]);
  });

  test('groupSum sums and counts per group, skipping negative groups', () => {
    const counts = new Float64Array(2);
    const sums = groupSum(f64(1, 2, 3, 4), Int32Array.from([0, 1, -1, 0]), 2, counts);
    expect(Array.from(sums)).toEqual([5, 2]);
    expect(Array.from(counts)).toEqual([2, 1]);
  });
});
