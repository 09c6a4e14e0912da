// Value parsers handed to hyparquet. hyparquet's defaults divide BigInt timestamps with `/`,
// which truncates toward zero, so an instant before 1970 with a sub-millisecond part would land
// one millisecond late; these floor instead, so every TIMESTAMP unit and INT96 agree on the instant.
import type { ParquetParsers } from 'hyparquet';

const floorDiv = (value: bigint, divisor: bigint): bigint => {
  const q = value / divisor;
  return value % divisor < 0n ? q - 1n : q;
};

export const PARQUET_PARSERS: Partial<ParquetParsers> = Object.freeze({
  timestampFromMilliseconds: (millis: bigint) => new Date(Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => new Date(Number(floorDiv(micros, 1_000n))),
  timestampFromNanoseconds: (nanos: bigint) => new Date(Number(floorDiv(nanos, 1_000_000n))),
  dateFromDays: (days: number) => new Date(days * 86_400_000),
});
