// The header the front thread puts on forwarded requests: what it says survives the trip, and
// anything else is refused.
import { describe, expect, it } from 'vitest';
import { decodeForwarded, encodeForwarded } from '../../../src/api/middleware/forwarded.js';

describe('forwarded-request header', () => {
  it('carries a client key and its counted window, IPv6 keys included', () => {
    for (const forwarded of [
      { key: '127.0.0.1', window: { totalHits: 3, resetMs: 1_765_000_000_000 } },
      { key: '2001:db8:abcd:1200::/56', window: { totalHits: 1, resetMs: 5 } },
      { key: '::ffff:10.0.0.1' },
      { key: 'unknown;odd%key' },
    ]) {
      expect(decodeForwarded(encodeForwarded(forwarded))).toEqual(forwarded);
    }
  });

  it('refuses values it did not write', () => {
    for (const value of ['', '1.2.3.4;0;5', '1.2.3.4;x;5', '1.2.3.4;1', '1.2.3.4;1;2;3', '%E0%A4%A;1;2', '1.2.3.4;1.5;2']) {
      expect(decodeForwarded(value), value).toBeUndefined();
    }
  });
});
