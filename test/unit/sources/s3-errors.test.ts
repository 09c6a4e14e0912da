import { describe, expect, it } from 'vitest';
import { classifyS3Error } from '../../../publisher/sources/errors.js';

const sdkError = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: status ? { httpStatusCode: status } : {} });

describe('classifying S3 failures', () => {
  it('treats refused connections and DNS failures as unreachable, even when nested in causes', () => {
    expect(classifyS3Error(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toEqual({ code: 'S3_UNREACHABLE', cause: 'ECONNREFUSED' });
    const nested = new Error('outer', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })]) });
    expect(classifyS3Error(nested)).toEqual({ code: 'S3_UNREACHABLE', cause: 'ENOTFOUND' });
  });

  it('treats SDK timeouts and aborts as unreachable', () => {
    expect(classifyS3Error(sdkError('TimeoutError')).code).toBe('S3_UNREACHABLE');
    expect(classifyS3Error(sdkError('AbortError')).code).toBe('S3_UNREACHABLE');
  });

  it('treats 403 and credential error names as access denied', () => {
    expect(classifyS3Error(sdkError('Unknown', 403))).toEqual({ code: 'S3_ACCESS_DENIED', cause: 'HTTP 403' });
    expect(classifyS3Error(sdkError('InvalidAccessKeyId', 403))).toEqual({ code: 'S3_ACCESS_DENIED', cause: 'HTTP 403 InvalidAccessKeyId' });
    expect(classifyS3Error(sdkError('SignatureDoesNotMatch')).code).toBe('S3_ACCESS_DENIED');
  });

  it('recognises a missing bucket', () => {
    expect(classifyS3Error(sdkError('NoSuchBucket', 404)).code).toBe('S3_BUCKET_MISSING');
  });

  it('keeps anything else as a generic failure with status and name', () => {
    const failure = classifyS3Error(sdkError('InternalError', 500));
    expect(failure.code).toBe('S3_FAILED');
    expect(failure.cause).toContain('HTTP 500 InternalError');
  });
});
