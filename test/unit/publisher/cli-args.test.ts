import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../publisher/cli-args.js';
import { exitCodeOf } from '../../../publisher/summary.js';
import { AppError } from '../../../src/errors/app-error.js';

describe('publish-gold arguments', () => {
  it('defaults to auto, fail, no force, no check', () => {
    expect(parseCliArgs([])).toEqual({ options: { source: 'auto', force: false, onInvalid: 'fail', check: false }, help: false });
  });

  it('reads every option', () => {
    expect(parseCliArgs(['--source', 'local', '--force', '--on-invalid', 'skip', '--check', '--report', 'r.json'])).toEqual({
      options: { source: 'local', force: true, onInvalid: 'skip', check: true },
      report: 'r.json',
      help: false,
    });
  });

  it('rejects unknown options and values with a usage error', () => {
    expect(() => parseCliArgs(['--source', 'ftp'])).toThrow(/--source must be one of auto, s3, local, got "ftp"/);
    expect(() => parseCliArgs(['--on-invalid', 'ignore'])).toThrow(/--on-invalid/);
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/usage: publish-gold/);
  });

  it('maps invalid input to exit 2 and anything else to exit 1', () => {
    expect(exitCodeOf(new AppError('VALIDATION_FAILED', 'x', { status: 422 }))).toBe(2);
    expect(exitCodeOf(new AppError('LOCK_HELD', 'x', { status: 409 }))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});
