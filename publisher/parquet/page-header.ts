// Parquet PageHeader (parquet.thrift) from its compact-protocol bytes: only the fields the flat
// column decoder uses. Field ids are parquet.thrift's.
import { ThriftReader, type ThriftStruct, type ThriftValue } from './thrift-compact.js';

export const PAGE_TYPES = Object.freeze({ data: 0, index: 1, dictionary: 2, dataV2: 3 } as const);

/** Encoding ids of parquet.thrift (the subset the flat decoder recognises by name). */
export const ENCODINGS = Object.freeze({ plain: 0, plainDictionary: 2, rle: 3, bitPacked: 4, rleDictionary: 8 } as const);

export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Values in the page, nulls included (DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE). */
  readonly numValues: number;
  readonly encoding: number;
  /** DATA_PAGE only: encoding of the definition levels. */
  readonly definitionEncoding: number;
  /** DATA_PAGE_V2 only. */
  readonly numNulls: number;
  readonly definitionBytes: number;
  readonly repetitionBytes: number;
  readonly isCompressed: boolean;
  /** Bytes the header itself took. */
  readonly headerSize: number;
}

const int = (s: ThriftStruct | undefined, id: number, fallback = 0): number => {
  const v = s?.get(id);
  return typeof v === 'number' ? v : fallback;
};
const struct = (v: ThriftValue | undefined): ThriftStruct | undefined => (v instanceof Map ? v : undefined);

export function readPageHeader(bytes: Uint8Array, offset: number, end: number): PageHeader {
  const reader = new ThriftReader(bytes, offset, end);
  const h = reader.struct();
  const type = int(h, 1, -1);
  const v1 = struct(h.get(5));
  const dict = struct(h.get(7));
  const v2 = struct(h.get(8));
  const sub = type === PAGE_TYPES.data ? v1 : type === PAGE_TYPES.dictionary ? dict : type === PAGE_TYPES.dataV2 ? v2 : undefined;
  const compressed = v2?.get(7);
  return {
    type,
    uncompressedSize: int(h, 2, -1),
    compressedSize: int(h, 3, -1),
    numValues: int(sub, 1, -1),
    encoding: int(sub, type === PAGE_TYPES.dataV2 ? 4 : 2, -1),
    definitionEncoding: int(v1, 3, ENCODINGS.rle),
    numNulls: int(v2, 2),
    definitionBytes: int(v2, 5),
    repetitionBytes: int(v2, 6),
    isCompressed: compressed !== false,
    headerSize: reader.offset - offset,
  };
}
