// The pieces of the flat-column decoder, without files: INT64/INT96 assembly without BigInt
// (checked against BigInt floor division over random 64-bit values), the RLE/bit-packed hybrid
// (hand-encoded runs, and termination on arbitrary bytes) and the Thrift page-header reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastPathUnsupported, plainNumbers } from '../../../publisher/parquet/flat-values.js';
import { readPageHeader } from '../../../publisher/parquet/page-header.js';
import { decodeHybrid, HybridDecodeError, singleRunValue } from '../../../publisher/parquet/rle-hybrid.js';

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

function int64Bytes(values: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return bytes;
}

/** What the decoder must give for one raw value: the exact floor, or a hand-over beyond 2^53. */
function expected(raw: bigint, divisor: bigint): number | 'unsupported' {
  const q = floorDiv(raw, divisor);
  return q > BigInt(Number.MAX_SAFE_INTEGER) || q < -BigInt(Number.MAX_SAFE_INTEGER) ? 'unsupported' : Number(q);
}

function decodeOne(kind: 'int64' | 'ms' | 'us' | 'ns', raw: bigint): number | 'unsupported' {
  const out = new Float64Array(1);
  try {
    plainNumbers(kind, int64Bytes([raw]), 0, 1, out);
  } catch (error) {
    if (error instanceof FastPathUnsupported) return 'unsupported';
    throw error;
  }
  return out[0] as number;
}

describe('INT64 values without BigInt', () => {
  const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  const around = (center: bigint, spread: bigint) => fc.bigInt({ min: center - spread, max: center + spread });
  // Near zero, around whole seconds and at the safe-integer edge, where rounding would show.
  const interesting = fc.oneof(int64, around(0n, 5_000_000n), around(1_700_000_000_000_000_000n, 3_000_000n), around(-2_208_988_800_000_000_000n, 3_000_000n), around(2n ** 53n, 3n), around(-(2n ** 53n), 3n));

  it('gives integers exactly, and hands anything beyond 2^53 to hyparquet', () => {
    fc.assert(
      fc.property(interesting, (raw) => {
        expect(decodeOne('int64', raw)).toBe(expected(raw, 1n));
      }),
      { numRuns: 2000 },
    );
  });

  it('floors microseconds and nanoseconds to milliseconds like BigInt division, before 1970 too', () => {
    fc.assert(
      fc.property(interesting, (raw) => {
        expect(decodeOne('us', raw)).toBe(expected(raw, 1_000n));
        // Nanoseconds always fit once divided (|q| < 2^63 / 10^6).
        expect(decodeOne('ns', raw)).toBe(Number(floorDiv(raw, 1_000_000n)));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads INT96 (nanoseconds of the day, then the Julian day) as epoch milliseconds', () => {
    const bytes = new Uint8Array(24);
    const view = new DataView(bytes.buffer);
    // 2024-01-01T20:34:56.123456789Z and 1969-12-31T23:59:59.999999999Z
    view.setBigUint64(0, 74_096_123_456_789n, true);
    view.setInt32(8, 2_460_311, true);
    view.setBigUint64(12, 86_399_999_999_999n, true);
    view.setInt32(20, 2_440_587, true);
    const out = new Float64Array(2);
    plainNumbers('int96', bytes, 0, 2, out);
    expect([...out]).toEqual([Date.UTC(2024, 0, 1, 20, 34, 56, 123), -1]);
  });

  it('refuses values running past the end of the page', () => {
    expect(() => plainNumbers('int64', new Uint8Array(12), 0, 2, new Float64Array(2))).toThrow(/need 16 bytes/);
  });
});

describe('the RLE / bit-packed hybrid decoder', () => {
  it('decodes an RLE run followed by a bit-packed run', () => {
    // RLE: header 3<<1 = 6, value 5 (1 byte for width 3); bit-packed: header (1<<1)|1 = 3, then
    // 8 values of 3 bits (0..7) in 3 bytes.
    const bytes = Uint8Array.of(6, 5, 3, 0b10001000, 0b11000110, 0b11111010);
    const out = new Int32Array(11);
    expect(decodeHybrid(bytes, 0, bytes.length, 3, out, 11)).toBe(bytes.length);
    expect([...out]).toEqual([5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads only the values asked for from a padded final group', () => {
    const bytes = Uint8Array.of(3, 0xff);
    const out = new Int32Array(5);
    decodeHybrid(bytes, 0, bytes.length, 1, out, 5);
    expect([...out]).toEqual([1, 1, 1, 1, 1]);
  });

  it('decodes wide values (more than 24 bits) exactly', () => {
    const bytes = Uint8Array.of(3, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0);
    const out = new Int32Array(2);
    decodeHybrid(bytes, 0, bytes.length, 31, out, 2);
    expect([...out]).toEqual([0x7fffffff, 0]);
  });

  it('refuses a run that needs more bytes than remain', () => {
    expect(() => decodeHybrid(Uint8Array.of(5), 0, 1, 8, new Int32Array(16), 16)).toThrow(HybridDecodeError);
  });

  it('ends on arbitrary bytes: values or a HybridDecodeError, never a spin', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 4096 }), (bytes, width, count) => {
        const out = new Int32Array(count);
        try {
          const end = decodeHybrid(bytes, 0, bytes.length, width, out, count);
          expect(end).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(HybridDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the single-run shortcut for definition levels', () => {
  it('answers a value only when decoding would give that value for every row', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 9 }), (bytes, count, width) => {
        const value = singleRunValue(bytes, 0, bytes.length, width, count);
        if (value === null) return;
        const out = new Int32Array(count);
        decodeHybrid(bytes, 0, bytes.length, width, out, count);
        expect([...new Set(out)]).toEqual([value]);
      }),
      { numRuns: 5000 },
    );
  });

  it('recognises a page without nulls and declines a page with some', () => {
    expect(singleRunValue(Uint8Array.of(200, 1, 1), 0, 3, 1, 100)).toBe(1); // RLE run of 100 ones
    expect(singleRunValue(Uint8Array.of(200, 1, 1), 0, 3, 1, 101)).toBeNull(); // too short
    expect(singleRunValue(Uint8Array.of(3, 0b0101), 0, 2, 1, 8)).toBeNull(); // bit-packed
  });
});

describe('the page header reader', () => {
  it('reads a DATA_PAGE header', () => {
    // struct PageHeader { 1: type=0, 2: uncompressed=40, 3: compressed=30,
    //   5: DataPageHeader { 1: num_values=10, 2: encoding=0, 3: def=3, 4: rep=3 } }
    const zz = (n: number) => n * 2;
    const bytes = Uint8Array.of(0x15, zz(0), 0x15, zz(40), 0x15, zz(30), 0x2c, 0x15, zz(10), 0x15, zz(0), 0x15, zz(3), 0x15, zz(3), 0x00, 0x00);
    const header = readPageHeader(bytes, 0, bytes.length);
    expect(header).toMatchObject({ type: 0, uncompressedSize: 40, compressedSize: 30, numValues: 10, encoding: 0, definitionEncoding: 3, headerSize: bytes.length });
  });

  it('refuses garbage with a RangeError rather than reading past the end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        try {
          readPageHeader(bytes, 0, bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
