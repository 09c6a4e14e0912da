import { describe, expect, it } from 'vitest';
import { runPipeline, sampleWithoutReplacement } from '../../src/query/engine.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('sampleWithoutReplacement', () => {
  it('never repeats an element and returns min(size, n) of them', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    for (let seed = 1; seed < 20; seed++) {
      const picked = sampleWithoutReplacement(items, 50, seeded(seed));
      expect(new Set(picked).size).toBe(50);
    }
    expect(sampleWithoutReplacement(items, 500, seeded(3))).toHaveLength(50);
    expect(sampleWithoutReplacement(items, 0)).toEqual([]);
  });

  it('does not modify its input', () => {
    const items = [1, 2, 3, 4];
    sampleWithoutReplacement(items, 4, seeded(7));
    expect(items).toEqual([1, 2, 3, 4]);
  });

  it('can pick every element, with roughly uniform frequency', () => {
    const counts = new Array<number>(10).fill(0);
    const random = seeded(11);
    for (let i = 0; i < 5000; i++) for (const v of sampleWithoutReplacement(Array.from({ length: 10 }, (_, k) => k), 3, random)) counts[v]!++;
    for (const c of counts) expect(c).toBeGreaterThan(1200);
  });
});

describe('runPipeline', () => {
  it('sorts with BSON order inside mingo pipelines, also within $facet', () => {
    const docs = [{ v: 'b' }, { v: 2 }, { v: null }, { v: true }];
    const [out] = runPipeline(docs.map((d) => ({ ...d })), [{ $facet: { s: [{ $sort: { v: 1 } }] } }], () => []);
    expect((out?.s as Array<{ v: unknown }>).map((d) => d.v)).toEqual([null, 2, 'b', true]);
  });

  it('answers unknown expression operators with a mongod-shaped error', () => {
    expect(() => runPipeline([{ a: 1 }], [{ $project: { x: { $frob: '$a' } } }], () => [])).toThrow(expect.objectContaining({ code: 168 }));
  });
});
