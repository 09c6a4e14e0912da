import { describe, expect, it } from 'vitest';
import { testDbName } from '../../../test/support/mongo.js';

describe('testDbName (test/support/mongo.ts)', () => {
  it('keeps a readable label, adds a random suffix and stays within 38 valid characters', () => {
    const a = testDbName('Publisher: swap/rename.test');
    const b = testDbName('Publisher: swap/rename.test');
    expect(a).toMatch(/^publisher_swap_rename_test_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    const long = testDbName('x'.repeat(100));
    expect(long.length).toBeLessThanOrEqual(38);
    expect(long).toMatch(/^[a-z0-9_-]+$/);
    expect(testDbName('$$$')).toMatch(/^test_[0-9a-f]{8}$/);
  });
});
