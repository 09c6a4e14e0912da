// The front thread decides which requests are exempt from rate limiting by path, as the app's
// limiter does with Express's req.path.
import { describe, expect, it } from 'vitest';
import { pathOf } from '../../../src/server/front-thread/forwarder.js';

describe('request path, as the rate-limit exemptions read it', () => {
  it('is the path without query or fragment, also for an absolute-form target', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['/livez', '/livez'],
      ['/livez?x=1', '/livez'],
      ['/health#x', '/health'],
      ['http://example.com/health?x=1', '/health'],
      ['/scores?segment=a#b', '/scores'],
      ['*', '*'],
    ];
    expect(cases.map(([target]) => pathOf(target))).toEqual(cases.map(([, path]) => path));
  });
});
