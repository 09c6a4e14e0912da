// Streams one flat (top-level, non-repeated) column chunk page by page, handing out the values
// of the next n rows on request. Handles what gold tables are made of — PLAIN and dictionary
// encodings, data pages v1 and v2, any codec hyparquet-compressors has. The reader only opens a
// cursor on a chunk whose footer declares nothing else (FLAT_ENCODINGS), so a page that uses
// another encoding is corruption, not a reason to hand the chunk to hyparquet; the one value-
// driven hand-over is an INT64 beyond 2^53 (FastPathUnsupported), which hyparquet yields as bigint.
// Corrupt bytes become errors naming the row group, column and page offset; every length is
// checked before it is used, so no input can make it allocate wildly or spin.
import { ENCODINGS, PAGE_TYPES, readPageHeader, type PageHeader } from './page-header.js';
import { EpochMsArray, FastPathUnsupported, NumberArray, TEMPORAL_KINDS, plainNumbers, plainTexts, type FlatKind } from './flat-values.js';
import { CodedTexts } from './coded-texts.js';
import { decodeHybrid, singleRunValue } from './rle-hybrid.js';

/** Numbers (NumberArray/EpochMsArray), PLAIN texts, or dictionary-encoded texts kept coded. */
export type FlatValues = Float64Array | (string | null)[] | CodedTexts;

/** Encodings a chunk's footer entry may list for the flat decoder to take it. */
export const FLAT_ENCODINGS: ReadonlySet<string> = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);
/** Decompresses a page body to exactly `size` bytes (bounded; see read-batches.ts). */
export type Decompress = (input: Uint8Array, size: number) => Uint8Array;

export interface FlatChunk {
  readonly kind: FlatKind;
  /** The column chunk's bytes, dictionary page first when there is one. */
  readonly bytes: Uint8Array;
  /** Values (= rows) in the chunk. */
  readonly numValues: number;
  readonly nullable: boolean;
  readonly decompress: Decompress;
  /** Prefix for error messages, e.g. `row group 3, column "montant"`. */
  readonly where: string;
}

export class FlatColumnCursor {
  private readonly chunk: FlatChunk;
  private readonly text: boolean;
  private pos = 0;
  private remaining: number;
  /** Text dictionaries end with a null entry: the code of a null row. */
  private dictionary: Float64Array | (string | null)[] | null = null;
  private page: FlatValues | null = null;
  private pageAt = 0;

  constructor(chunk: FlatChunk) {
    this.chunk = chunk;
    this.text = chunk.kind === 'text';
    this.remaining = chunk.numValues;
  }

  /** The next `n` values; an error names the page when the chunk is corrupt or runs short. */
  read(n: number): FlatValues {
    if (n > this.remaining + this.buffered()) throw this.invalid(`${n} rows requested, the chunk has ${this.remaining + this.buffered()} left`);
    const pieces: FlatValues[] = [];
    let filled = 0;
    while (filled < n) {
      const page = this.page;
      if (page === null || this.pageAt >= page.length) {
        this.nextPage();
        continue;
      }
      const take = Math.min(n - filled, page.length - this.pageAt);
      pieces.push(take === page.length ? page : slicePage(page, this.pageAt, this.pageAt + take));
      this.pageAt += take;
      filled += take;
    }
    return pieces.length === 1 ? (pieces[0] as FlatValues) : this.join(pieces, n);
  }

  /** One request's values from several pages, in one array of the request's form. */
  private join(pieces: readonly FlatValues[], n: number): FlatValues {
    if (!this.text) {
      const out = this.numbers(n);
      let at = 0;
      for (const piece of pieces) {
        out.set(piece as Float64Array, at);
        at += piece.length;
      }
      return out;
    }
    // Pages of one chunk share its dictionary; a PLAIN page among them (a writer falling back
    // when the dictionary grows too large) turns the request into plain strings.
    if (pieces.every((p) => p instanceof CodedTexts)) {
      const codes = new Int32Array(n);
      let at = 0;
      for (const piece of pieces as CodedTexts[]) {
        codes.set(piece.codes, at);
        at += piece.length;
      }
      return new CodedTexts(codes, (pieces[0] as CodedTexts).dict);
    }
    const out = new Array<string | null>(n);
    let at = 0;
    for (const piece of pieces) {
      const texts = piece instanceof CodedTexts ? piece.toArray() : (piece as (string | null)[]);
      for (let i = 0; i < texts.length; i++) out[at + i] = texts[i] ?? null;
      at += texts.length;
    }
    return out;
  }

  /** A fresh numeric array of this chunk's form: the caller owns it and may clean it in place. */
  private numbers(n: number): Float64Array {
    return TEMPORAL_KINDS.has(this.chunk.kind) ? new EpochMsArray(n) : new NumberArray(n);
  }

  private buffered(): number {
    return this.page ? this.page.length - this.pageAt : 0;
  }

  private invalid(message: string, at = this.pos): Error {
    return new Error(`${this.chunk.where}, page at chunk byte ${at}: ${message}`);
  }

  /** Decodes pages until one with data values is current. */
  private nextPage(): void {
    const { bytes } = this.chunk;
    for (;;) {
      if (this.remaining <= 0 || this.pos >= bytes.length) throw this.invalid(`the chunk ends with ${this.remaining} of ${this.chunk.numValues} values missing`);
      const start = this.pos;
      let header: PageHeader;
      try {
        header = readPageHeader(bytes, start, bytes.length);
      } catch (error) {
        throw this.invalid(`unreadable page header (${(error as Error).message})`, start);
      }
      const bodyStart = start + header.headerSize;
      if (!(header.compressedSize >= 0 && bodyStart + header.compressedSize <= bytes.length)) {
        throw this.invalid(`a page of ${header.compressedSize} bytes does not fit in the ${bytes.length}-byte chunk`, start);
      }
      if (!(header.uncompressedSize >= 0)) throw this.invalid(`absurd uncompressed size ${header.uncompressedSize}`, start);
      const body = bytes.subarray(bodyStart, bodyStart + header.compressedSize);
      this.pos = bodyStart + header.compressedSize;
      try {
        if (header.type === PAGE_TYPES.dictionary) this.readDictionary(header, body);
        else if (header.type === PAGE_TYPES.data || header.type === PAGE_TYPES.dataV2) {
          this.page = this.readData(header, body);
          this.pageAt = 0;
          this.remaining -= header.numValues;
          if (this.remaining < 0) throw new RangeError(`pages hold more values than the chunk's ${this.chunk.numValues}`);
          if (this.page.length > 0) return;
        } else if (header.type !== PAGE_TYPES.index) throw new RangeError(`unknown page type ${header.type}`);
      } catch (error) {
        if (error instanceof FastPathUnsupported) throw error;
        throw this.invalid((error as Error).message, start);
      }
    }
  }

  private readDictionary(header: PageHeader, body: Uint8Array): void {
    if (header.encoding !== ENCODINGS.plain && header.encoding !== ENCODINGS.plainDictionary) throw new RangeError(`dictionary page encoding ${header.encoding}`);
    if (!(header.numValues >= 0 && header.numValues <= header.uncompressedSize)) throw new RangeError(`a dictionary of ${header.numValues} values in ${header.uncompressedSize} bytes`);
    const page = this.chunk.decompress(body, header.uncompressedSize);
    if (this.chunk.kind === 'text') {
      const dict = new Array<string | null>(header.numValues + 1);
      plainTexts(page, 0, header.numValues, dict as string[]);
      dict[header.numValues] = null;
      this.dictionary = dict;
    } else {
      const dict = new Float64Array(header.numValues);
      plainNumbers(this.chunk.kind, page, 0, header.numValues, dict);
      this.dictionary = dict;
    }
  }

  private readData(header: PageHeader, body: Uint8Array): FlatValues {
    const n = header.numValues;
    if (!(n >= 0 && n <= this.remaining)) throw new RangeError(`a page of ${n} values where ${this.remaining} remain`);
    let values: Uint8Array;
    let defs: Int32Array | null = null;
    if (header.type === PAGE_TYPES.data) {
      const page = this.chunk.decompress(body, header.uncompressedSize);
      let at = 0;
      if (this.chunk.nullable) {
        if (header.definitionEncoding !== ENCODINGS.rle) throw new RangeError(`definition level encoding ${header.definitionEncoding} (the chunk declares RLE)`);
        if (page.length < 4) throw new RangeError('no room for the definition levels length');
        const length = new DataView(page.buffer, page.byteOffset, 4).getUint32(0, true);
        if (4 + length > page.length) throw new RangeError(`definition levels of ${length} bytes in a ${page.length}-byte page`);
        if (singleRunValue(page, 4, 4 + length, 1, n) !== 1) {
          defs = new Int32Array(n);
          decodeHybrid(page, 4, 4 + length, 1, defs, n);
        }
        at = 4 + length;
      }
      values = page.subarray(at);
    } else {
      const levels = header.repetitionBytes + header.definitionBytes;
      if (header.repetitionBytes !== 0) throw new RangeError('repetition levels in a flat column');
      if (!(header.definitionBytes >= 0 && levels <= body.length)) throw new RangeError(`levels of ${levels} bytes in a ${body.length}-byte page`);
      if (this.chunk.nullable && singleRunValue(body, 0, header.definitionBytes, 1, n) !== 1) {
        defs = new Int32Array(n);
        decodeHybrid(body, 0, header.definitionBytes, 1, defs, n);
      }
      const rest = body.subarray(levels);
      const size = header.uncompressedSize - levels;
      values = header.isCompressed && size > 0 ? this.chunk.decompress(rest, size) : rest;
    }
    let present = n;
    if (defs) {
      present = 0;
      for (let i = 0; i < n; i++) {
        const d = defs[i] as number;
        if (d > 1) throw new RangeError(`definition level ${d} in a column whose maximum is 1`);
        present += d;
      }
      if (present === n) defs = null;
    }
    const dense = this.decodeValues(header.encoding, values, present);
    return defs ? spread(dense, defs, n) : dense;
  }

  private decodeValues(encoding: number, bytes: Uint8Array, count: number): FlatValues {
    const text = this.chunk.kind === 'text';
    if (encoding === ENCODINGS.plain) {
      if (text) {
        const out = new Array<string>(count);
        plainTexts(bytes, 0, count, out);
        return out;
      }
      const out = this.numbers(count);
      plainNumbers(this.chunk.kind as Exclude<FlatKind, 'text'>, bytes, 0, count, out);
      return out;
    }
    if (encoding !== ENCODINGS.plainDictionary && encoding !== ENCODINGS.rleDictionary) throw new RangeError(`data page encoding ${encoding}, not one the chunk declares`);
    const dict = this.dictionary;
    if (!dict) throw new RangeError('a dictionary-encoded page without a dictionary page');
    // A text dictionary's last entry is the null added in readDictionary: not a valid code here.
    const size = text ? dict.length - 1 : dict.length;
    if (count === 0) return text ? new CodedTexts(new Int32Array(0), dict as (string | null)[]) : this.numbers(0);
    if (bytes.length < 1) throw new RangeError('no room for the dictionary index bit width');
    const indexes = new Int32Array(count);
    decodeHybrid(bytes, 1, bytes.length, bytes[0] as number, indexes, count);
    // One pass over the codes for the range check; separate loops keep each one monomorphic.
    let lowest = 0;
    let highest = 0;
    for (let i = 0; i < count; i++) {
      const k = indexes[i] as number;
      if (k < lowest) lowest = k;
      else if (k > highest) highest = k;
    }
    if (lowest < 0 || highest >= size) throw new RangeError(`dictionary index ${lowest < 0 ? lowest : highest} outside a ${size}-entry dictionary`);
    if (text) return new CodedTexts(indexes, dict as (string | null)[]);
    const numbers = dict as Float64Array;
    const out = this.numbers(count);
    for (let i = 0; i < count; i++) out[i] = numbers[indexes[i] as number] as number;
    return out;
  }
}

/** values [from, to) of a page: a view for numbers and codes (the page is not read again), a copy for strings. */
function slicePage(page: FlatValues, from: number, to: number): FlatValues {
  if (page instanceof CodedTexts) return new CodedTexts(page.codes.subarray(from, to), page.dict);
  return page instanceof Float64Array ? page.subarray(from, to) : page.slice(from, to);
}

/** Places dense non-null values at the rows whose definition level is 1; the others are null/NaN. */
function spread(dense: FlatValues, defs: Int32Array, n: number): FlatValues {
  if (dense instanceof CodedTexts) {
    const codes = new Int32Array(n).fill(dense.dict.length - 1); // the dictionary's null entry
    for (let i = 0, k = 0; i < n; i++) if (defs[i] === 1) codes[i] = dense.codes[k++] as number;
    return new CodedTexts(codes, dense.dict);
  }
  if (dense instanceof Float64Array) {
    const out = dense instanceof EpochMsArray ? new EpochMsArray(n) : new NumberArray(n);
    out.fill(Number.NaN);
    for (let i = 0, k = 0; i < n; i++) if (defs[i] === 1) out[i] = dense[k++] as number;
    return out;
  }
  const out = new Array<string | null>(n);
  for (let i = 0, k = 0; i < n; i++) out[i] = defs[i] === 1 ? (dense[k++] ?? null) : null;
  return out;
}
