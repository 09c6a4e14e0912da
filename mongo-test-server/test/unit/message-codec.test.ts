import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'bson';
import { OP_CODES, OP_MSG_FLAGS, ProtocolError, encodeOpMsg, encodeOpMsgRequest, encodeOpReply, parseMessage, readHeader } from '../../src/wire/message-codec.js';

function opQuery(collection: string, query: object, requestId: number): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(collection + '\0'), Buffer.alloc(8), Buffer.from(serialize(query))]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP_CODES.OP_QUERY, 12);
  return Buffer.concat([header, body]);
}

describe('parseMessage', () => {
  it('reads an OP_QUERY handshake and its target collection', () => {
    const parsed = parseMessage(opQuery('admin.$cmd', { isMaster: 1, helloOk: true }, 42));
    expect(parsed).toMatchObject({ kind: 'query', collection: 'admin.$cmd', command: { isMaster: 1, helloOk: true } });
    expect(parsed.header.requestId).toBe(42);
  });

  it('unwraps a legacy $query envelope', () => {
    const parsed = parseMessage(opQuery('admin.$cmd', { $query: { ismaster: 1 }, $readPreference: { mode: 'primary' } }, 1));
    expect(parsed.command).toEqual({ ismaster: 1 });
  });

  it('merges OP_MSG kind-1 document sequences into the body', () => {
    const docs = [{ a: 1 }, { a: 2 }, { a: 3 }];
    const parsed = parseMessage(encodeOpMsgRequest({ insert: 'c', $db: 'd' }, 5, 0, [['documents', docs]]));
    expect(parsed).toMatchObject({ kind: 'msg', flags: 0, command: { insert: 'c', $db: 'd', documents: docs } });
  });

  it('keeps the moreToCome flag and ignores a trailing checksum', () => {
    const withChecksum = Buffer.concat([encodeOpMsgRequest({ ping: 1, $db: 'admin' }, 6, OP_MSG_FLAGS.checksumPresent | OP_MSG_FLAGS.moreToCome), Buffer.from([1, 2, 3, 4])]);
    withChecksum.writeInt32LE(withChecksum.length, 0);
    const parsed = parseMessage(withChecksum);
    expect(parsed.kind === 'msg' && parsed.flags & OP_MSG_FLAGS.moreToCome).toBeTruthy();
    expect(parsed.command).toEqual({ ping: 1, $db: 'admin' });
  });

  it('keeps int64 values as Long so their type survives', () => {
    const parsed = parseMessage(encodeOpMsgRequest({ getMore: BigInt(2) ** 40n, $db: 'd' }, 1));
    expect(parsed.command.getMore?.constructor.name).toBe('Long');
  });

  it('rejects unknown opcodes, unknown required flags and section kinds', () => {
    const msg = encodeOpMsgRequest({ ping: 1 }, 1);
    const compressed = Buffer.from(msg);
    compressed.writeInt32LE(OP_CODES.OP_COMPRESSED, 12);
    expect(() => parseMessage(compressed)).toThrow(/opCode 2012/);
    const badFlags = Buffer.from(msg);
    badFlags.writeUInt32LE(4, 16);
    expect(() => parseMessage(badFlags)).toThrow(ProtocolError);
    const badKind = Buffer.from(msg);
    badKind.writeUInt8(7, 20);
    expect(() => parseMessage(badKind)).toThrow(/section kind 7/);
  });

  it('rejects a BSON document that overruns the message', () => {
    const msg = encodeOpMsgRequest({ ping: 1 }, 1);
    msg.writeInt32LE(9999, 21);
    expect(() => parseMessage(msg)).toThrow(/exceeds the message/);
  });
});

describe('encoders', () => {
  it('encodes OP_MSG replies addressed to the request', () => {
    const out = encodeOpMsg({ ok: 1 }, 9, 42);
    expect(readHeader(out)).toEqual({ messageLength: out.length, requestId: 9, responseTo: 42, opCode: OP_CODES.OP_MSG });
    expect(out.readUInt32LE(16)).toBe(0);
    expect(out.readUInt8(20)).toBe(0);
    expect(deserialize(out.subarray(21))).toEqual({ ok: 1 });
  });

  it('encodes OP_REPLY with one document and a zero cursor id', () => {
    const out = encodeOpReply({ ismaster: true, ok: 1 }, 3, 7);
    expect(readHeader(out)).toEqual({ messageLength: out.length, requestId: 3, responseTo: 7, opCode: OP_CODES.OP_REPLY });
    expect(out.readBigInt64LE(20)).toBe(0n);
    expect(out.readInt32LE(32)).toBe(1);
    expect(deserialize(out.subarray(36))).toEqual({ ismaster: true, ok: 1 });
  });
});
