import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyMatches } from '../../../src/api/middleware/api-key.js';
import { toApiError } from '../../../src/api/data/mongo-errors.js';
import { csvField, csvRow, ndjsonRow } from '../../../src/api/export/row-format.js';
import { isAppError } from '../../../src/errors/app-error.js';

describe('export row formats', () => {
  it('quote CSV fields only when needed and write dates as ISO', () => {
    expect(csvField('A relancer')).toBe('A relancer');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2026-01-20T10:39:43Z'))).toBe('2026-01-20T10:39:43.000Z');
    expect(csvRow({ b: 2, a: 1.5 }, ['a', 'b'])).toBe('1.5,2\r\n');
  });

  it('write NDJSON lines with the requested fields and null for missing values', () => {
    expect(ndjsonRow({ a: 1, c: 3 }, ['a', 'b'])).toBe('{"a":1,"b":null}\n');
  });
});

describe('MongoDB error mapping', () => {
  it('turns an exceeded maxTimeMS into a 504 and an unreachable server into a 503', () => {
    const timeout = toApiError(Object.assign(new Error('operation exceeded time limit'), { code: 50 }), 'read gold_monthly');
    expect(isAppError(timeout) && [timeout.status, timeout.code]).toEqual([504, 'QUERY_TIMEOUT']);
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:27017'), { name: 'MongoServerSelectionError' });
    const mapped = toApiError(down, 'read gold_monthly');
    expect(isAppError(mapped) && [mapped.status, mapped.code]).toEqual([503, 'DB_UNAVAILABLE']);
    expect(isAppError(mapped) && mapped.message).not.toContain('10.0.0.1');
  });

  it("turns the driver's operation timeout and the server's time limits into 504, a pool cleared by the monitor into 503", () => {
    const errors = [
      Object.assign(new Error('Timed out during socket read (300ms)'), { name: 'MongoOperationTimeoutError' }),
      Object.assign(new Error('time limit'), { code: 262, codeName: 'ExceededTimeLimit' }),
      Object.assign(new Error('maxTimeMS'), { codeName: 'MaxTimeMSExpired' }),
    ];
    for (const error of errors) {
      const mapped = toApiError(error, 'read gold_daily');
      expect(isAppError(mapped) && [mapped.status, mapped.code, mapped.message]).toEqual([504, 'QUERY_TIMEOUT', 'read gold_daily: the query exceeded its time limit']);
    }
    const cleared = Object.assign(new Error('Connection to 10.0.0.1:27017 interrupted due to server monitor timeout'), { name: 'PoolClearedOnNetworkError' });
    const mapped = toApiError(cleared, 'read gold_daily');
    expect(isAppError(mapped) && [mapped.status, mapped.code]).toEqual([503, 'DB_UNAVAILABLE']);
  });

  it('leaves other errors alone for the generic 500', () => {
    const other = new TypeError('boom');
    expect(toApiError(other, 'x')).toBe(other);
  });
});

describe('API key comparison', () => {
  const digests = ['alpha', 'beta'].map((k) => createHash('sha256').update(k).digest());
  it('accepts any configured key and rejects others, whatever their length', () => {
    expect(keyMatches('beta', digests)).toBe(true);
    expect(keyMatches('alpha', digests)).toBe(true);
    expect(keyMatches('gamma', digests)).toBe(false);
    expect(keyMatches('', digests)).toBe(false);
    expect(keyMatches('alpha-and-more', digests)).toBe(false);
  });
});
