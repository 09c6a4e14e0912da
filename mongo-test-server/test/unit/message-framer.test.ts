import { describe, expect, it } from 'vitest';
import { FrameError, MessageFramer } from '../../src/wire/message-framer.js';

function frame(length: number, fill: number): Buffer {
  const out = Buffer.alloc(length, fill);
  out.writeInt32LE(length, 0);
  return out;
}

describe('MessageFramer', () => {
  it('returns a whole message delivered in one chunk', () => {
    const framer = new MessageFramer();
    const message = frame(40, 7);
    expect(framer.push(message)).toEqual([message]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('reassembles a message split byte by byte, including inside the length prefix', () => {
    const framer = new MessageFramer();
    const message = frame(37, 3);
    const out: Buffer[] = [];
    for (let i = 0; i < message.length; i++) out.push(...framer.push(message.subarray(i, i + 1)));
    expect(out).toEqual([message]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('splits several messages arriving in one chunk and keeps the trailing partial one', () => {
    const framer = new MessageFramer();
    const a = frame(20, 1);
    const b = frame(33, 2);
    const c = frame(50, 3);
    const joined = Buffer.concat([a, b, c]);
    expect(framer.push(joined.subarray(0, 70))).toEqual([a, b]);
    expect(framer.pendingBytes).toBe(17);
    expect(framer.push(joined.subarray(70))).toEqual([c]);
  });

  it('returns copies that later chunks cannot overwrite', () => {
    const framer = new MessageFramer();
    const chunk = frame(20, 9);
    const [message] = framer.push(chunk);
    chunk.fill(0);
    expect(message?.readUInt8(10)).toBe(9);
  });

  it('rejects lengths below the header size or above the message limit', () => {
    expect(() => new MessageFramer().push(frame(16, 0).subarray(0, 4).fill(0))).toThrow(FrameError);
    const tooBig = Buffer.alloc(8);
    tooBig.writeInt32LE(1000, 0);
    expect(() => new MessageFramer(500).push(tooBig)).toThrow(/outside \[16, 500\]/);
  });
});
