// Builds broken Parquet files from good ones: truncated, and a forged footer whose first row
// group claims 10× the rows and bytes the file really holds (an "oversized row group": a reader
// that trusts the metadata would allocate or read far past the end of the file).
import { decodeStruct, encodeStruct, field, T, type TList, type TStruct } from './thrift-compact.js';

const MAGIC = 'PAR1';

function footerBounds(file: Uint8Array): { start: number; end: number } {
  const tail = Buffer.from(file.subarray(file.length - 4)).toString('latin1');
  if (tail !== MAGIC) throw new Error('not a Parquet file (no trailing PAR1)');
  const len = Buffer.from(file.buffer, file.byteOffset, file.byteLength).readUInt32LE(file.length - 8);
  return { start: file.length - 8 - len, end: file.length - 8 };
}

function assemble(body: Uint8Array, footer: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  return Buffer.concat([body, footer, len, Buffer.from(MAGIC, 'latin1')]);
}

/** Re-encodes the footer unchanged; throws unless it is byte-identical (self-check of the codec). */
export function roundTripFooter(file: Uint8Array): void {
  const { start, end } = footerBounds(file);
  const original = file.subarray(start, end);
  const again = encodeStruct(decodeStruct(original));
  if (Buffer.compare(Buffer.from(original), Buffer.from(again)) !== 0) throw new Error('thrift codec does not round-trip this footer');
}

function scaleI64(struct: TStruct, id: number, factor: bigint): void {
  const f = field(struct, id);
  if (f && f.type === T.I64) f.value = (f.value as bigint) * factor;
}

/** The first row group (and its column chunks) claims `factor`× its real rows and sizes. */
export function forgeOversizedRowGroup(file: Uint8Array, factor = 10): Buffer {
  const { start, end } = footerBounds(file);
  const meta = decodeStruct(file.subarray(start, end));
  const k = BigInt(factor);
  const rowGroups = field(meta, 4)?.value as TList | undefined;
  const first = rowGroups?.items[0] as TStruct | undefined;
  if (!first) throw new Error('Parquet footer has no row group to forge');
  const firstRows = (field(first, 3)?.value as bigint | undefined) ?? 0n;
  scaleI64(first, 2, k); // total_byte_size
  scaleI64(first, 3, k); // num_rows
  scaleI64(first, 6, k); // total_compressed_size
  for (const chunk of (field(first, 1)?.value as TList).items as TStruct[]) {
    const columnMeta = field(chunk, 3)?.value as TStruct | undefined;
    if (!columnMeta) continue;
    scaleI64(columnMeta, 5, k); // num_values
    scaleI64(columnMeta, 6, k); // total_uncompressed_size
    scaleI64(columnMeta, 7, k); // total_compressed_size
  }
  const total = field(meta, 3);
  if (total) total.value = (total.value as bigint) + firstRows * (k - 1n); // keep the file total coherent with the lie
  return assemble(file.subarray(0, start), encodeStruct(meta));
}

export function truncate(file: Uint8Array, keepFraction = 0.6): Buffer {
  return Buffer.from(file.subarray(0, Math.floor(file.length * keepFraction)));
}
