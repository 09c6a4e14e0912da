// The API's block log writer against a fake sink: what reaches the sink is exactly the lines, in
// order, whole, in writes no larger than a block (a line longer than a block alone excepted).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBlockWriter, type BlockSink } from '../../../src/logging/block-writer.js';

/** A sink recording each write; `accept` decides how many bytes a call takes (or throws). */
function fakeSink(accept: (data: Buffer, call: number) => number = (data) => data.length) {
  const writes: Buffer[] = [];
  let calls = 0;
  const sink: BlockSink = {
    writeSync(data) {
      const n = accept(data, calls++);
      writes.push(Buffer.from(data.subarray(0, n)));
      return n;
    },
  };
  return { sink, writes, text: () => Buffer.concat(writes).toString('utf8') };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('createBlockWriter', () => {
  it('reserves room in the block for a caller-encoded line, writing the block first when it lacks the room', () => {
    const { sink, writes, text } = fakeSink();
    const writer = createBlockWriter({ sink, blockSize: 40 });
    writer.write('0123456789\n');
    const encode = (line: string, max: number) => {
      const at = writer.reserve(max);
      writer.commit(at + writer.block.write(line, at));
    };
    encode('abcdefghij\n', 20);
    expect(writes).toHaveLength(0);
    // 22 bytes held, 18 left: a line that may need 20 goes into the next block.
    encode('xyz\n', 20);
    expect(text()).toBe('0123456789\nabcdefghij\n');
    writer.write('uvw\n');
    writer.flush();
    expect(text()).toBe('0123456789\nabcdefghij\nxyz\nuvw\n');
    expect(() => writer.reserve(41)).toThrow(/reserve\(41\): more than the 40-byte block/);
  });

  it('holds lines until the next one does not fit, then writes the block in one call', () => {
    const { sink, writes, text } = fakeSink();
    const writer = createBlockWriter({ sink, blockSize: 64 });
    writer.write('0123456789\n');
    writer.write('abcdefghij\n');
    expect(writes).toHaveLength(0);
    // 22 bytes held; 14 code units may need 42 bytes, which the 42 left would just hold.
    writer.write('klmnopqrstuvw\n');
    expect(writes).toHaveLength(0);
    // 28 bytes left; 10 code units may need 30.
    writer.write('xyzxyzxyz\n');
    expect(writes).toHaveLength(1);
    expect(text()).toBe('0123456789\nabcdefghij\nklmnopqrstuvw\n');
    writer.flush();
    expect(text()).toBe('0123456789\nabcdefghij\nklmnopqrstuvw\nxyzxyzxyz\n');
    writer.flush();
    expect(writes).toHaveLength(2);
  });

  it('writes a line longer than a block on its own, after the lines before it', () => {
    const { sink, writes, text } = fakeSink();
    const writer = createBlockWriter({ sink, blockSize: 32 });
    writer.write('short\n');
    const long = `${'é'.repeat(40)}\n`;
    writer.write(long);
    writer.write('after\n');
    writer.flush();
    expect(text()).toBe(`short\n${long}after\n`);
    expect(writes.map((w) => w.length)).toEqual([6, Buffer.byteLength(long), 6]);
  });

  it('resumes a short write where it stopped', () => {
    const { sink, writes, text } = fakeSink((data) => Math.min(5, data.length));
    const writer = createBlockWriter({ sink, blockSize: 64 });
    writer.write('one line\n');
    writer.write('two lines\n');
    writer.flush();
    expect(text()).toBe('one line\ntwo lines\n');
    expect(writes.length).toBe(4);
  });

  it('retries a write refused with EAGAIN until it goes through', () => {
    const { sink, text } = fakeSink((data, call) => {
      if (call < 3) throw errno('EAGAIN');
      return data.length;
    });
    const writer = createBlockWriter({ sink, blockSize: 64, retryMs: 1 });
    writer.write('kept\n');
    writer.flush();
    expect(text()).toBe('kept\n');
  });

  it('reports any other write error once per failed block and goes on with the next lines', () => {
    const errors: string[] = [];
    const { sink, text } = fakeSink((data, call) => {
      if (call === 0) throw errno('EPIPE');
      return data.length;
    });
    const writer = createBlockWriter({ sink, blockSize: 64, onError: (e) => errors.push(e.code ?? '') });
    writer.write('lost\n');
    writer.flush();
    writer.write('written\n');
    writer.flush();
    expect(errors).toEqual(['EPIPE']);
    expect(text()).toBe('written\n');
  });

  it('passes any lines through unchanged, whatever the block size and the sink accepts per call', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 80 }).map((s) => `${s}\n`), { maxLength: 60 }),
        fc.integer({ min: 4, max: 300 }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.nat({ max: 10 }), { maxLength: 60 }),
        (lines, blockSize, perCall, flushes) => {
          const { sink, writes, text } = fakeSink((data) => Math.min(perCall, data.length));
          const writer = createBlockWriter({ sink, blockSize });
          lines.forEach((line, i) => {
            writer.write(line);
            if (flushes.includes(i)) writer.flush();
          });
          writer.flush();
          expect(text()).toBe(lines.join(''));
          const longest = Math.max(0, ...lines.map((l) => Buffer.byteLength(l)));
          for (const w of writes) expect(w.length).toBeLessThanOrEqual(Math.max(blockSize, longest));
        },
      ),
    );
  });
});
