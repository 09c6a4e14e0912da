// Every decompressor of hyparquet-compressors, wrapped: a page header claiming more decompressed
// bytes than the largest column chunk declares is corrupt, and is refused before the output
// buffer is allocated. Shared by hyparquet (its `compressors` option) and the flat decoder.
import type { Compressors, FileMetaData } from 'hyparquet';
import { compressors as baseCompressors } from 'hyparquet-compressors';
import { parquetInvalid } from './errors.js';
import { FastPathUnsupported } from './flat-values.js';
import { maxChunkUncompressed } from './metadata.js';

export function boundedCompressors(uri: string, metadata: FileMetaData): Compressors {
  const limit = maxChunkUncompressed(metadata);
  const wrapped: Compressors = {};
  for (const [codec, decompress] of Object.entries(baseCompressors) as Array<[keyof Compressors, Compressors[keyof Compressors]]>) {
    if (!decompress) continue;
    wrapped[codec] = (input: Uint8Array, outputLength: number) => {
      if (!(outputLength >= 0 && outputLength <= limit)) {
        throw parquetInvalid(uri, `a ${codec} page claims ${outputLength} decompressed bytes, more than its column chunk (${limit})`);
      }
      return decompress(input, outputLength);
    };
  }
  return wrapped;
}

/** A page decompressor for one codec, checking the output length against the page header. */
export function pageDecompressor(codec: string, compressors: Compressors): (input: Uint8Array, size: number) => Uint8Array {
  if (codec === 'UNCOMPRESSED') {
    return (input, size) => {
      if (input.length !== size) throw new RangeError(`an uncompressed page of ${input.length} bytes declares ${size}`);
      return input;
    };
  }
  const decompress = compressors[codec as keyof Compressors];
  if (!decompress) throw new FastPathUnsupported(`codec ${codec}`);
  return (input, size) => {
    const out = decompress(input, size);
    if (out.length !== size) throw new RangeError(`a ${codec} page decompressed to ${out.length} bytes, its header says ${size}`);
    return out;
  };
}
