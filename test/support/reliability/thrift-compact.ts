// Minimal Thrift compact-protocol codec (decode → generic tree → encode) used to forge Parquet
// footers, e.g. a row group that claims to be 10× larger than the bytes the file really holds.
// Round-trips byte for byte; only what Parquet footers use is supported.

export const T = Object.freeze({ STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const);

export interface TField {
  readonly id: number;
  readonly type: number;
  value: TValue;
}
export type TStruct = TField[];
export interface TList {
  readonly elemType: number;
  items: TValue[];
}
export interface TMap {
  readonly keyType: number;
  readonly valueType: number;
  entries: Array<[TValue, TValue]>;
}
export type TValue = boolean | bigint | number | Uint8Array | TList | TMap | TStruct;

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new Error(`thrift: read past end at ${this.pos}`);
    return b;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
  bytes(n: number): Uint8Array {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function readValue(r: Reader, type: number): TValue {
  switch (type) {
    case T.TRUE:
      return true;
    case T.FALSE:
      return false;
    case T.BYTE:
      return r.byte();
    case T.I16:
    case T.I32:
    case T.I64:
      return r.zigzag();
    case T.DOUBLE:
      return r.bytes(8).slice();
    case T.BINARY:
      return r.bytes(Number(r.varint())).slice();
    case T.LIST:
    case T.SET: {
      const header = r.byte();
      const elemType = header & 0x0f;
      const size = header >> 4 === 15 ? Number(r.varint()) : header >> 4;
      const items: TValue[] = [];
      for (let i = 0; i < size; i++) items.push(elemType === T.TRUE || elemType === T.FALSE ? r.byte() === 1 : readValue(r, elemType));
      return { elemType, items };
    }
    case T.MAP: {
      const size = Number(r.varint());
      if (size === 0) return { keyType: 0, valueType: 0, entries: [] };
      const kv = r.byte();
      const entries: Array<[TValue, TValue]> = [];
      for (let i = 0; i < size; i++) entries.push([readValue(r, kv >> 4), readValue(r, kv & 0x0f)]);
      return { keyType: kv >> 4, valueType: kv & 0x0f, entries };
    }
    case T.STRUCT:
      return readStruct(r);
    default:
      throw new Error(`thrift: unknown type ${type} at ${r.pos}`);
  }
}

function readStruct(r: Reader): TStruct {
  const fields: TStruct = [];
  let lastId = 0;
  for (;;) {
    const header = r.byte();
    if (header === T.STOP) return fields;
    const type = header & 0x0f;
    const delta = header >> 4;
    const id = delta === 0 ? Number(r.zigzag()) : lastId + delta;
    lastId = id;
    fields.push({ id, type, value: readValue(r, type) });
  }
}

export function decodeStruct(buf: Uint8Array): TStruct {
  return readStruct(new Reader(buf));
}

class Writer {
  private readonly out: number[] = [];
  byte(b: number): void {
    this.out.push(b & 0xff);
  }
  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }
  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.out.push(x);
  }
  result(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

function writeValue(w: Writer, type: number, value: TValue): void {
  switch (type) {
    case T.TRUE:
    case T.FALSE:
      return; // carried in the field header
    case T.BYTE:
      return w.byte(value as number);
    case T.I16:
    case T.I32:
    case T.I64:
      return w.zigzag(value as bigint);
    case T.DOUBLE:
      return w.bytes(value as Uint8Array);
    case T.BINARY: {
      const b = value as Uint8Array;
      w.varint(BigInt(b.length));
      return w.bytes(b);
    }
    case T.LIST:
    case T.SET: {
      const list = value as TList;
      const n = list.items.length;
      if (n < 15) w.byte((n << 4) | list.elemType);
      else {
        w.byte(0xf0 | list.elemType);
        w.varint(BigInt(n));
      }
      for (const item of list.items) {
        if (list.elemType === T.TRUE || list.elemType === T.FALSE) w.byte(item ? 1 : 2);
        else writeValue(w, list.elemType, item);
      }
      return;
    }
    case T.MAP: {
      const map = value as TMap;
      w.varint(BigInt(map.entries.length));
      if (map.entries.length === 0) return;
      w.byte((map.keyType << 4) | map.valueType);
      for (const [k, v] of map.entries) {
        writeValue(w, map.keyType, k);
        writeValue(w, map.valueType, v);
      }
      return;
    }
    case T.STRUCT:
      return writeStruct(w, value as TStruct);
    default:
      throw new Error(`thrift: cannot write type ${type}`);
  }
}

function writeStruct(w: Writer, fields: TStruct): void {
  let lastId = 0;
  for (const f of fields) {
    const type = f.type === T.TRUE || f.type === T.FALSE ? (f.value ? T.TRUE : T.FALSE) : f.type;
    const delta = f.id - lastId;
    if (delta > 0 && delta <= 15) w.byte((delta << 4) | type);
    else {
      w.byte(type);
      w.zigzag(BigInt(f.id));
    }
    lastId = f.id;
    writeValue(w, f.type, f.value);
  }
  w.byte(T.STOP);
}

export function encodeStruct(fields: TStruct): Uint8Array {
  const w = new Writer();
  writeStruct(w, fields);
  return w.result();
}

export function field(struct: TStruct, id: number): TField | undefined {
  return struct.find((f) => f.id === id);
}
