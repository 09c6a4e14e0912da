// A minimal, bounds-checked reader of Thrift's compact protocol, enough for Parquet page headers:
// a struct becomes a Map from field id to value (numbers, booleans, byte slices, nested Maps,
// lists). Every read checks the end of the input and nesting is capped, so garbage bytes give a
// clear error rather than a runaway loop or allocation. (The footer is parsed by hyparquet.)

export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[];
export type ThriftStruct = Map<number, ThriftValue>;

const MAX_DEPTH = 16;

const TYPE = Object.freeze({
  stop: 0,
  boolTrue: 1,
  boolFalse: 2,
  byte: 3,
  i16: 4,
  i32: 5,
  i64: 6,
  double: 7,
  binary: 8,
  list: 9,
  set: 10,
  map: 11,
  struct: 12,
} as const);

export class ThriftReader {
  offset: number;
  private readonly bytes: Uint8Array;
  private readonly end: number;

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.offset = offset;
    this.end = end;
  }

  private byte(): number {
    if (this.offset >= this.end) throw new RangeError(`thrift: read past the end of the page header (${this.end} bytes)`);
    return this.bytes[this.offset++] as number;
  }

  /** Unsigned LEB128 varint as a number (exact up to 2^53; larger values are corrupt here). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new RangeError('thrift: varint longer than 10 bytes');
  }

  /** Zigzag-decoded signed varint. */
  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new RangeError('thrift: structs nested too deeply');
    const out: ThriftStruct = new Map();
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === TYPE.stop) return out;
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      out.set(id, this.value(type, depth));
    }
  }

  private value(type: number, depth: number): ThriftValue {
    switch (type) {
      case TYPE.boolTrue:
        return true;
      case TYPE.boolFalse:
        return false;
      case TYPE.byte:
        return this.byte();
      case TYPE.i16:
      case TYPE.i32:
      case TYPE.i64:
        return this.zigzag();
      case TYPE.double:
        this.skip(8);
        return 0;
      case TYPE.binary: {
        const length = this.varint();
        const start = this.offset;
        this.skip(length);
        return this.bytes.subarray(start, start + length);
      }
      case TYPE.list:
      case TYPE.set:
        return this.list(depth);
      case TYPE.map:
        return this.map(depth);
      case TYPE.struct:
        return this.struct(depth + 1);
      default:
        throw new RangeError(`thrift: unknown field type ${type}`);
    }
  }

  private list(depth: number): ThriftValue[] {
    const header = this.byte();
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    const type = header & 0x0f;
    // Each element takes at least one byte: a size beyond the input is corrupt.
    if (size > this.end - this.offset) throw new RangeError(`thrift: list of ${size} elements in ${this.end - this.offset} bytes`);
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) {
      // In lists, booleans are one byte each (1 = true).
      out.push(type === TYPE.boolTrue || type === TYPE.boolFalse ? this.byte() === 1 : this.value(type, depth + 1));
    }
    return out;
  }

  private map(depth: number): ThriftValue[] {
    const size = this.varint();
    if (size === 0) return [];
    if (size > this.end - this.offset) throw new RangeError(`thrift: map of ${size} entries in ${this.end - this.offset} bytes`);
    const types = this.byte();
    const out: ThriftValue[] = [];
    for (let i = 0; i < size; i++) out.push(this.value(types >> 4, depth + 1), this.value(types & 0x0f, depth + 1));
    return out;
  }

  private skip(n: number): void {
    if (n < 0 || this.offset + n > this.end) throw new RangeError(`thrift: a ${n}-byte field runs past the end of the page header`);
    this.offset += n;
  }
}
