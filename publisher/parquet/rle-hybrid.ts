// Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices), decoded
// into an Int32Array. Every run is checked against the bytes that remain and each loop turn
// consumes at least one header byte, so corrupt input ends in an error, never in a spin (the
// failure mode fuzzing found in hyparquet 1.33's decoder).

export class HybridDecodeError extends Error {}

/**
 * Decodes `count` values of `width` bits (0…32) from bytes[start, end) into out[0, count).
 * Returns the offset after the last byte used. Widths above 31 bits yield the low 32 bits as
 * signed ints (callers treat them as indexes and range-check them).
 */
export function decodeHybrid(bytes: Uint8Array, start: number, end: number, width: number, out: Int32Array, count: number): number {
  if (!(width >= 0 && width <= 32)) throw new HybridDecodeError(`bit width ${width} is outside 0…32`);
  if (out.length < count) throw new HybridDecodeError(`output holds ${out.length} values, ${count} requested`);
  const valueBytes = (width + 7) >> 3;
  let pos = start;
  let seen = 0;
  while (seen < count) {
    // ULEB128 run header.
    let header = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (pos >= end) throw new HybridDecodeError(`run header at byte ${pos} runs past the end (${end})`);
      if (i === 5) throw new HybridDecodeError('run header longer than 5 bytes');
      const b = bytes[pos++] as number;
      header += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    if (header % 2 === 0) {
      // RLE run: one value repeated header/2 times (a longer run than needed is clipped).
      if (pos + valueBytes > end) throw new HybridDecodeError(`RLE value at byte ${pos} runs past the end (${end})`);
      let value = 0;
      for (let i = 0; i < valueBytes; i++) value += (bytes[pos++] as number) * 2 ** (8 * i);
      const n = Math.min(header / 2, count - seen);
      out.fill(value | 0, seen, seen + n);
      seen += n;
    } else {
      // Bit-packed run of (header >> 1) groups of 8 values; the final group may be padding.
      const values = Math.min(((header - 1) / 2) * 8, count - seen);
      const needed = Math.ceil((values * width) / 8);
      if (pos + needed > end) throw new HybridDecodeError(`bit-packed run of ${values} values at byte ${pos} needs ${needed} bytes, ${end - pos} remain`);
      unpack(bytes, pos, width, out, seen, values);
      pos += Math.min(((header - 1) / 2) * width, end - pos);
      seen += values;
    }
  }
  return pos;
}

function unpack(bytes: Uint8Array, pos: number, width: number, out: Int32Array, at: number, n: number): void {
  if (width === 0) {
    out.fill(0, at, at + n);
    return;
  }
  if (width <= 24) {
    // The accumulator never holds more than 31 bits, so 32-bit integer ops are exact.
    const mask = (1 << width) - 1;
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      while (bits < width) {
        acc |= (bytes[pos++] as number) << bits;
        bits += 8;
      }
      out[at + i] = acc & mask;
      acc >>>= width;
      bits -= width;
    }
    return;
  }
  // Wide values: plain arithmetic on doubles (at most 39 bits in flight).
  const size = 2 ** width;
  let acc = 0;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    while (scale < size) {
      acc += (bytes[pos++] as number) * scale;
      scale *= 256;
    }
    out[at + i] = acc % size | 0;
    acc = Math.floor(acc / size);
    scale /= size;
  }
}

/**
 * The value of a first RLE run covering at least `count` values (no run decoded), else null:
 * the definition levels of a page without nulls are one such run, and skipping them avoids a
 * level array per page.
 */
export function singleRunValue(bytes: Uint8Array, start: number, end: number, width: number, count: number): number | null {
  let header = 0;
  let scale = 1;
  let pos = start;
  for (let i = 0; ; i++) {
    if (pos >= end || i === 5) return null;
    const b = bytes[pos++] as number;
    header += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  const valueBytes = (width + 7) >> 3;
  if (header % 2 !== 0 || header / 2 < count || pos + valueBytes > end) return null;
  let value = 0;
  for (let i = 0; i < valueBytes; i++) value += (bytes[pos++] as number) * 2 ** (8 * i);
  return value;
}
