// Splits a TCP byte stream into whole MongoDB wire messages: handles frames split across
// chunks and several frames in one chunk, and rejects impossible lengths.

export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const HEADER_SIZE = 16;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export class MessageFramer {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageSize = MAX_MESSAGE_SIZE_BYTES) {}

  /** Adds a chunk and returns every message that is now complete (each a fresh Buffer). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > this.maxMessageSize) {
        throw new FrameError(`wire message length ${length} is outside [${HEADER_SIZE}, ${this.maxMessageSize}]`);
      }
      if (this.buffered < length) break;
      out.push(this.take(length));
    }
    return out;
  }

  /** Bytes received but not yet part of a complete message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 4));
    this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks));
    return head.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    let message: Buffer;
    if (first.length >= length) {
      message = Buffer.from(first.subarray(0, length));
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      // Buffer.concat already made a private copy; no second copy needed.
      const all = Buffer.concat(this.chunks, this.buffered);
      message = all.subarray(0, length);
      this.chunks.length = 0;
      if (all.length > length) this.chunks.push(all.subarray(length));
    }
    this.buffered -= length;
    return message;
  }
}
