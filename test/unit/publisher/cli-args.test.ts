import { describe, expect, it } from 'vitest';
import { EXIT_REPORT_NOT_WRITTEN, USAGE, parseCliArgs } from '../../../publisher/cli-args.js';
import { exitCodeOf } from '../../../publisher/summary.js';
import { AppError } from '../../../src/errors/app-error.js';

describe('publish-gold arguments', () => {
  it('defaults to auto, fail, no force, no check, no empty publish', () => {
    expect(parseCliArgs([])).toEqual({ options: { source: 'auto', force: false, onInvalid: 'fail', check: false, allowEmpty: false }, help: false });
  });

  it('reads every option', () => {
    expect(parseCliArgs(['--source', 'local', '--force', '--on-invalid', 'skip', '--allow-empty', '--check', '--report', 'r.json'])).toEqual({
      options: { source: 'local', force: true, onInvalid: 'skip', check: true, allowEmpty: true },
      report: 'r.json',
      help: false,
    });
  });

  it('rejects unknown options and values with a usage error', () => {
    expect(() => parseCliArgs(['--source', 'ftp'])).toThrow(/--source must be one of auto, s3, local, got "ftp"/);
    expect(() => parseCliArgs(['--on-invalid', 'ignore'])).toThrow(/--on-invalid/);
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/usage: publish-gold/);
  });

  it('documents --allow-empty and every exit code in the usage text', () => {
    expect(USAGE).toMatch(/--allow-empty/);
    expect(USAGE).toMatch(/2 invalid input \(missing or empty fact_achats/);
    expect(USAGE).toMatch(new RegExp(`${EXIT_REPORT_NOT_WRITTEN} published \\(or checked\\) but the report could not be written`));
  });

  it('maps invalid input to exit 2 and anything else to exit 1', () => {
    expect(exitCodeOf(new AppError('VALIDATION_FAILED', 'x', { status: 422 }))).toBe(2);
    expect(exitCodeOf(new AppError('LOCK_HELD', 'x', { status: 409 }))).toBe(1);
    expect(exitCodeOf(new AppError('TABLE_EMPTY', 'x', { status: 422 }))).toBe(2);
    expect(exitCodeOf(new AppError('S3_ACCESS_DENIED', 'x', { status: 502 }))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});
