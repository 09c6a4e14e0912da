// The compact stand-ins the publisher keeps while streaming big tables: the unique-key set
// (runs of consecutive ids, then a hash set) must answer exactly like a JS Set, and the amount
// counts must give exactly the buckets pandasCut gives over every value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountCounts } from '../../../publisher/derive/amount-counts.js';
import { DistinctNumbers } from '../../../publisher/derive/distinct-numbers.js';
import { pandasCut } from '../../../publisher/derive/distribution.js';
import { KeySet } from '../../../publisher/validate/key-set.js';

function sameAsSet(keys: readonly number[]): void {
  const set = new KeySet();
  const reference = new Set<number>();
  for (const k of keys) {
    const fresh = !reference.has(k);
    reference.add(k);
    expect(set.add(k), `key ${k}`).toBe(fresh);
  }
}

describe('the unique-key set', () => {
  it('answers like a Set for ids in order, out of order, repeated, fractional or huge', () => {
    const key = fc.oneof(fc.integer({ min: -50, max: 400 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(2 ** 53, -(2 ** 53), 0.5));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), (keys) => {
        sameAsSet(keys);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps answering like a Set after ids in random order outgrow the runs', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => (i * 7919) % 20_011);
    sameAsSet(keys);
  });

  it('accepts a million increasing ids and refuses every one again', () => {
    const set = new KeySet();
    let fresh = 0;
    for (let i = 1; i <= 1_000_000; i++) if (set.add(i)) fresh++;
    expect(fresh).toBe(1_000_000);
    expect(set.add(1)).toBe(false);
    expect(set.add(500_000)).toBe(false);
    expect(set.add(1_000_000)).toBe(false);
    expect(set.add(0)).toBe(true);
  });
});

describe('the distinct client count', () => {
  it('counts like a Set whatever the ids: small, sparse, negative, fractional, zero and minus zero, huge', () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 2 ** 27 }),
      fc.constantFrom(0, -0, 2 ** 26 - 1, 2 ** 26, 2 ** 31, 2 ** 32 + 1, -1, 0.5, 2 ** 53),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 400 }), (ids) => {
        const distinct = new DistinctNumbers();
        for (const x of ids) distinct.add(x);
        expect(distinct.size).toBe(new Set(ids.map((x) => (Object.is(x, -0) ? 0 : x))).size);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the amount counts', () => {
  it('give the buckets pandasCut gives over the same amounts, cents or not', () => {
    const cents = fc.integer({ min: 1, max: 1_000_000 }).map((c) => c / 100);
    const amount = fc.oneof(cents, cents, fc.double({ min: 0.001, max: 10_000, noNaN: true }), fc.constantFrom(0.1 + 0.2, 10_000.5));
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 200 }), (values) => {
        const counts = new AmountCounts();
        for (const x of values) counts.add(x);
        expect(counts.size).toBe(values.length);
        expect(counts.buckets()).toEqual(pandasCut(values));
      }),
      { numRuns: 300 },
    );
  });
});
