import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseCoding, encodeBody } from '../../../src/api/http/content-coding.js';

describe('content coding of cached bodies', () => {
  it('chooses as the compression middleware does: br first, then gzip, by q-value, identity when nothing else is acceptable', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip, deflate, br, zstd', 'br'], // Chrome, Firefox
      ['gzip, deflate', 'gzip'], // curl --compressed without brotli, Python requests
      ['gzip', 'gzip'],
      ['deflate', 'deflate'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['gzip;q=0.5, br;q=0.9', 'br'],
      ['*', 'br'],
      ['zstd', 'identity'],
      ['identity', 'identity'],
      ['identity;q=0', 'identity'],
    ];
    for (const [header, coding] of cases) expect(chooseCoding(header), String(header)).toBe(coding);
    // Remembered per value: asking again gives the same answer.
    expect(chooseCoding('gzip, deflate, br, zstd')).toBe('br');
  });

  it('compresses a body so that it decodes to the same bytes', async () => {
    const body = Buffer.from(JSON.stringify({ data: Array.from({ length: 500 }, (_, i) => ({ id_client: i, pays: 'France', ca: i * 1.25 })) }));
    const br = await encodeBody(body, 'br');
    const gz = await encodeBody(body, 'gzip');
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
    expect(gunzipSync(gz).equals(body)).toBe(true);
    expect(br.length).toBeLessThan(body.length / 4);
    expect(gz.length).toBeLessThan(body.length / 4);
  });
});
