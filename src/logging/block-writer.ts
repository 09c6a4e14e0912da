// The API's log destination: lines are encoded straight into one preallocated block, and a full
// block goes out in one write(). At thousands of access lines a second the previous destination
// (sonic-boom fed one Buffer per line) cost ~6 µs a request more than encoding the same lines and
// dropping them (bench, docs/api.md): each line's Buffer lived until its block was written, so
// ~130 small pooled buffers per block survived the young generation's collections and were
// promoted and swept later. Here a line is a string until it is copied into the block, and the
// block is the only buffer, reused for the life of the process.
//
// Writes are synchronous, like pino's default destination (one write per line there, one per
// ~250 lines here): nothing is ever in flight, so order holds and the exit flush neither loses
// nor repeats a block, and a reader that stops reading slows the writer down instead of letting
// lines pile up in memory. A short write resumes where it stopped; EAGAIN (a non-blocking pipe
// that is full) is retried after a pause. I/O sits behind `BlockSink` (fs on a file descriptor in
// production, a fake in the unit tests).
import fs from 'node:fs';

/** Where blocks go: a synchronous write of `data`, returning the bytes written. */
export interface BlockSink {
  writeSync(data: Buffer): number;
}

export interface BlockWriterOptions {
  readonly sink: BlockSink;
  /** Bytes per block: the block is written when the next line does not fit. */
  readonly blockSize?: number;
  /** Pause before retrying a write that failed with EAGAIN. */
  readonly retryMs?: number;
  /** A write failed for another reason than EAGAIN: what was not written is dropped. */
  readonly onError?: (error: NodeJS.ErrnoException) => void;
  /**
   * Shared with the other writers of the same file descriptor in other threads (the front
   * thread's, src/server/front-thread): each write, retries included, holds it, so no writer's
   * bytes land inside another's. The kernel keeps only writes of at most PIPE_BUF (4 KiB) to a
   * pipe whole; a block, or a line longer than one, is more (found by an audit).
   */
  readonly lock?: Int32Array;
}

/** A lock for BlockWriterOptions.lock, to hand to the other threads (structured clone shares it). */
export function createWriteLock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * How long a writer waits for the lock before taking it anyway: its holder is then taken for
 * dead (a thread ended mid-write), not slow — a write waits for a full pipe in steps of retryMs.
 */
const LOCK_WAIT_MS = 5_000;

function acquire(lock: Int32Array): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) {
    if (Date.now() > deadline) {
      Atomics.store(lock, 0, 1);
      return;
    }
    Atomics.wait(lock, 0, 1, 10);
  }
}

function release(lock: Int32Array): void {
  Atomics.store(lock, 0, 0);
  Atomics.notify(lock, 0, 1);
}

export interface BlockWriter {
  /** Appends `line` (a whole line, newline included). */
  write(line: string): void;
  /**
   * For a caller that encodes a line into the block itself (access-line.ts): the offset in
   * `block` after which `maxBytes` (at most the block size) are free, writing what the block
   * holds first when they are not. Pass the end of what was written to `commit`.
   */
  reserve(maxBytes: number): number;
  /** Ends a `reserve`d line: the block holds the bytes up to `end`. */
  commit(end: number): void;
  /** The block `reserve` offsets point into. */
  readonly block: Buffer;
  /** Writes what the block holds now. */
  flush(): void;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

export function createBlockWriter(options: BlockWriterOptions): BlockWriter {
  const { sink } = options;
  const blockSize = options.blockSize ?? 64 * 1024;
  const retryMs = options.retryMs ?? 10;
  const block = Buffer.allocUnsafeSlow(blockSize);
  let used = 0;

  const writeAll = (data: Buffer): void => {
    if (!options.lock) {
      writeWhole(data);
      return;
    }
    acquire(options.lock);
    try {
      writeWhole(data);
    } finally {
      release(options.lock);
    }
  };

  const writeWhole = (data: Buffer): void => {
    let rest = data;
    while (rest.length > 0) {
      try {
        rest = rest.subarray(sink.writeSync(rest));
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (e.code !== 'EAGAIN') {
          options.onError?.(e);
          return;
        }
        Atomics.wait(pause, 0, 0, retryMs);
      }
    }
  };

  const flush = (): void => {
    if (used === 0) return;
    const data = block.subarray(0, used);
    used = 0;
    writeAll(data);
  };

  return {
    write(line) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit: the check needs no encoding pass.
      if (line.length * 3 > blockSize - used) {
        flush();
        if (line.length * 3 > blockSize) {
          // Longer than a block can surely hold (e.g. an error with a long stack): on its own.
          writeAll(Buffer.from(line, 'utf8'));
          return;
        }
      }
      used += block.write(line, used);
    },
    reserve(maxBytes) {
      if (maxBytes > blockSize) throw new RangeError(`reserve(${maxBytes}): more than the ${blockSize}-byte block`);
      if (maxBytes > blockSize - used) flush();
      return used;
    },
    commit(end) {
      used = end;
    },
    block,
    flush,
  };
}

/** A BlockSink on a file descriptor (e.g. 1, stdout). */
export function fdSink(fd: number): BlockSink {
  return { writeSync: (data) => fs.writeSync(fd, data, 0, data.length, null) };
}
