import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32Decimal } from '../../../publisher/normalise/values.js';

describe('float32Decimal', () => {
  it('gives back the short decimal a FLOAT amount was written from', () => {
    expect(Math.fround(285.41)).not.toBe(285.41);
    expect(float32Decimal(Math.fround(285.41))).toBe(285.41);
    expect(float32Decimal(Math.fround(0.1))).toBe(0.1);
    expect(float32Decimal(Math.fround(9999.99))).toBe(9999.99);
    expect(float32Decimal(Math.fround(-12.5))).toBe(-12.5);
  });

  it('reads every 2-decimal amount up to 10,000 € back exactly from its float32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (cents) => {
        expect(float32Decimal(Math.fround(cents / 100))).toBe(cents / 100);
      }),
      { numRuns: 2000 },
    );
  });

  it('always returns a value that is the same float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        expect(Math.fround(float32Decimal(f))).toBe(Math.fround(f));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves integers, NaN and infinities as they are', () => {
    for (const v of [0, 3, -7, 16777216, Number.NaN, Number.POSITIVE_INFINITY]) expect(float32Decimal(v)).toBe(v);
  });
});
