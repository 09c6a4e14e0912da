// The wire protocol over a raw TCP socket against our own server: OP_QUERY handshake →
// OP_REPLY, frames split across writes, several frames in one write, moreToCome, and a
// malformed frame closing the connection.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { startMongoTestServer } from '../../src/index.js';
import type { MongoTestServer } from '../../src/index.js';
import { MessageFramer } from '../../src/wire/message-framer.js';
import { OP_CODES, OP_MSG_FLAGS, encodeOpMsgRequest, readHeader } from '../../src/wire/message-codec.js';

let server: MongoTestServer;
beforeAll(async () => {
  // The malformed-frame test triggers a (expected) protocol warning; keep the output clean.
  server = await startMongoTestServer({ port: 0, logLevel: 'error' });
});
afterAll(async () => {
  await server?.stop();
});

interface Reply {
  opCode: number;
  responseTo: number;
  body: Document;
}

/** A raw connection collecting decoded replies. */
async function rawConnection(): Promise<{ socket: net.Socket; replies: Reply[]; next(count: number): Promise<Reply[]>; closed: Promise<void> }> {
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const framer = new MessageFramer();
  const replies: Reply[] = [];
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const message of framer.push(chunk)) {
      const header = readHeader(message);
      const bodyOffset = header.opCode === OP_CODES.OP_REPLY ? 36 : 21;
      replies.push({ opCode: header.opCode, responseTo: header.responseTo, body: deserialize(message.subarray(bodyOffset)) });
    }
    waiter?.();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const next = async (count: number): Promise<Reply[]> => {
    while (replies.length < count) await new Promise<void>((resolve) => (waiter = resolve));
    return replies.splice(0, count);
  };
  return { socket, replies, next, closed };
}

function opQuery(command: Document, requestId: number): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(8), Buffer.from(serialize(command))]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP_CODES.OP_QUERY, 12);
  return Buffer.concat([header, body]);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('raw wire protocol', () => {
  it('answers an OP_QUERY isMaster split over several writes with an OP_REPLY', async () => {
    const conn = await rawConnection();
    const query = opQuery({ isMaster: 1, helloOk: true }, 77);
    for (const [from, to] of [[0, 3], [3, 20], [20, query.length]] as const) {
      conn.socket.write(query.subarray(from, to));
      await pause();
    }
    const [reply] = await conn.next(1);
    expect(reply).toMatchObject({ opCode: OP_CODES.OP_REPLY, responseTo: 77, body: { ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 } });
    expect(reply?.body).not.toHaveProperty('topologyVersion');
    conn.socket.destroy();
  });

  it('answers several OP_MSG frames sent in one write, in order, and none for moreToCome', async () => {
    const conn = await rawConnection();
    const frames = Buffer.concat([
      encodeOpMsgRequest({ ping: 1, $db: 'admin' }, 1),
      encodeOpMsgRequest({ insert: 'c', $db: 'raw', documents: [{ _id: 1 }] }, 2, OP_MSG_FLAGS.moreToCome),
      encodeOpMsgRequest({ count: 'c', $db: 'raw' }, 3),
    ]);
    conn.socket.write(frames);
    const replies = await conn.next(2);
    expect(replies.map((r) => [r.opCode, r.responseTo])).toEqual([[OP_CODES.OP_MSG, 1], [OP_CODES.OP_MSG, 3]]);
    expect(replies[1]?.body).toMatchObject({ n: 1, ok: 1 });
    conn.socket.destroy();
  });

  it('closes the connection on a frame with an impossible length', async () => {
    const conn = await rawConnection();
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(3, 0);
    conn.socket.write(bad);
    await conn.closed;
    expect(conn.replies).toEqual([]);
  });
});
