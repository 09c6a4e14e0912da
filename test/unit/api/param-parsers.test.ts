// The primitive query-value parsers: decimals of any plain length within the bounds (an audit
// found values of 1e15 or more, written in digits, refused by min_expected), and the forms that
// stay refused.
import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../src/api/query/param-parsers.js';
import { isAppError } from '../../../src/errors/app-error.js';

const MAX = Number.MAX_SAFE_INTEGER;

function rejection(run: () => unknown): { code: string; message: string; details: unknown } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseNumber', () => {
  it('accepts every plain non-negative decimal within the bounds, however many digits it has', () => {
    for (const [text, value] of [
      ['9007199254740991', MAX],
      ['1000000000000000', 1e15],
      ['999999999999999', 999_999_999_999_999],
      ['1234567890123456.5', 1234567890123456.5],
      ['0.1234567890123456789', Number('0.1234567890123456789')],
      ['00000000000000000042', 42],
      ['0', 0],
      ['10', 10],
      [' 2.5 ', 2.5],
    ] as const) {
      expect(parseNumber('min_expected', text, 0, MAX), text).toBe(value);
    }
  });

  it('still rejects values beyond the bounds, naming the parameter and the expected form', () => {
    for (const text of ['9007199254740992', '90071992547409910', '-1', '1.5']) {
      const max = text === '1.5' ? 1 : MAX;
      const error = rejection(() => parseNumber('min_expected', text, 0, max));
      expect(error.code, text).toBe('BAD_PARAMETER');
      expect(error.details, text).toEqual({ parameter: 'min_expected', expected: `a number between 0 and ${max}` });
      expect(error.message, text).toContain('query parameter "min_expected"');
    }
  });

  it('rejects hex, NaN, Infinity, operators, signs and malformed decimals as before', () => {
    const bad = ['0x10', 'NaN', 'Infinity', '-Infinity', '+1', '1e309', '', ' ', '1.', '.5', '1.2.3', '1,5', '1_000', '١٢', '$gt', '{"$gt":0}', '10abc'];
    for (const text of bad) {
      expect(rejection(() => parseNumber('min_expected', text, 0, MAX)).details, JSON.stringify(text)).toMatchObject({ parameter: 'min_expected' });
    }
    expect(rejection(() => parseNumber('min_expected', { $gt: '0' }, 0, MAX)).details).toMatchObject({ parameter: 'min_expected' });
    expect(rejection(() => parseNumber('min_expected', ['1', '2'], 0, MAX)).details).toMatchObject({ parameter: 'min_expected' });
  });
});
