// The header the front thread puts on forwarded requests: what it says survives the trip, and
// anything it did not write with the process's secret is refused.
import { describe, expect, it } from 'vitest';
import { decodeForwarded, encodeForwarded, forwardingSecret } from '../../../src/api/middleware/forwarded.js';

const secret = forwardingSecret();

describe('forwarded-request header', () => {
  it('carries a client key and its counted window, IPv6 keys included', () => {
    for (const forwarded of [
      { key: '127.0.0.1', window: { totalHits: 3, resetMs: 1_765_000_000_000 } },
      { key: '2001:db8:abcd:1200::/56', window: { totalHits: 1, resetMs: 5 } },
      { key: '::ffff:10.0.0.1' },
      { key: 'unknown;odd%key' },
    ]) {
      expect(decodeForwarded(encodeForwarded(forwarded, secret), secret)).toEqual(forwarded);
    }
  });

  it('refuses values it did not write', () => {
    for (const rest of ['', '1.2.3.4;0;5', '1.2.3.4;x;5', '1.2.3.4;1', '1.2.3.4;1;2;3', '%E0%A4%A;1;2', '1.2.3.4;1.5;2']) {
      expect(decodeForwarded(`${secret};${rest}`, secret), rest).toBeUndefined();
    }
  });

  it('refuses a value written without the secret, or with another process’s', () => {
    const value = encodeForwarded({ key: '1.2.3.4', window: { totalHits: 1, resetMs: 9 } }, secret);
    expect(decodeForwarded(value, forwardingSecret())).toBeUndefined();
    expect(decodeForwarded(value.slice(secret.length + 1), secret)).toBeUndefined();
    expect(decodeForwarded(`${secret.slice(0, -1)};1.2.3.4`, secret)).toBeUndefined();
    expect(forwardingSecret()).toMatch(/^[0-9a-f]{32}$/);
  });
});
