// Encoding/decoding of the wire messages a modern driver uses: OP_QUERY (legacy handshake
// only) answered with OP_REPLY, and OP_MSG in both directions.
import { Long, calculateObjectSize, deserialize, serialize } from 'bson';
import type { Document } from 'bson';

export const OP_CODES = Object.freeze({ OP_REPLY: 1, OP_QUERY: 2004, OP_COMPRESSED: 2012, OP_MSG: 2013 } as const);
export const OP_MSG_FLAGS = Object.freeze({ checksumPresent: 1, moreToCome: 2, exhaustAllowed: 1 << 16 } as const);

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type IncomingMessage =
  | { kind: 'query'; header: MessageHeader; collection: string; command: Document }
  | { kind: 'msg'; header: MessageHeader; flags: number; command: Document };

// Keep int64 as Long so stored types survive a round trip; int32/double become numbers.
const DESERIALIZE_OPTIONS = { promoteLongs: false, promoteValues: true, promoteBuffers: false, validation: { utf8: false } } as const;

export function readHeader(message: Buffer): MessageHeader {
  if (message.length < 16) throw new ProtocolError(`message of ${message.length} bytes is shorter than the 16-byte header`);
  return {
    messageLength: message.readInt32LE(0),
    requestId: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
  };
}

function readBsonAt(buffer: Buffer, offset: number, end: number, what: string): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError(`${what}: truncated BSON document at byte ${offset}`);
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`${what}: BSON document size ${size} at byte ${offset} exceeds the message`);
  const doc = deserialize(buffer.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  return { doc, next: offset + size };
}

function readCString(buffer: Buffer, offset: number, end: number, what: string): { value: string; next: number } {
  const zero = buffer.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError(`${what}: unterminated C string at byte ${offset}`);
  return { value: buffer.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (as produced by MessageFramer). */
export function parseMessage(message: Buffer): IncomingMessage {
  const header = readHeader(message);
  if (header.messageLength !== message.length) {
    throw new ProtocolError(`header says ${header.messageLength} bytes but the frame has ${message.length}`);
  }
  if (header.opCode === OP_CODES.OP_QUERY) return parseOpQuery(message, header);
  if (header.opCode === OP_CODES.OP_MSG) return parseOpMsg(message, header);
  throw new ProtocolError(`unsupported opCode ${header.opCode} (only OP_QUERY for the handshake and OP_MSG are supported; compression is not)`);
}

function parseOpQuery(message: Buffer, header: MessageHeader): IncomingMessage {
  let offset = 16 + 4; // header + flags
  const name = readCString(message, offset, message.length, 'OP_QUERY');
  offset = name.next + 8; // numberToSkip + numberToReturn
  const { doc } = readBsonAt(message, offset, message.length, 'OP_QUERY');
  // Legacy drivers may wrap the command as { $query: {...}, $readPreference: ... }.
  const command = doc.$query !== undefined && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { kind: 'query', header, collection: name.value, command };
}

function parseOpMsg(message: Buffer, header: MessageHeader): IncomingMessage {
  const flags = message.readUInt32LE(16);
  // Unknown required bits (0-15 except the two defined) must make the server fail.
  if ((flags & 0xfffc) !== 0) throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${flags.toString(16)}`);
  const end = flags & OP_MSG_FLAGS.checksumPresent ? message.length - 4 : message.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body !== undefined) throw new ProtocolError('OP_MSG has more than one kind-0 section');
      const read = readBsonAt(message, offset, end, 'OP_MSG body');
      body = read.doc;
      offset = read.next;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`OP_MSG document sequence size ${size} exceeds the message`);
      const id = readCString(message, offset + 4, sectionEnd, 'OP_MSG document sequence');
      const docs: Document[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        const read = readBsonAt(message, cursor, sectionEnd, `OP_MSG sequence '${id.value}'`);
        docs.push(read.doc);
        cursor = read.next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`OP_MSG section kind ${kind} is not supported`);
    }
  }
  if (body === undefined) throw new ProtocolError('OP_MSG has no kind-0 body section');
  for (const [name, docs] of sequences) {
    const existing = body[name];
    body[name] = Array.isArray(existing) ? [...(existing as Document[]), ...docs] : docs;
  }
  return { kind: 'msg', header, flags, command: body };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

const SERIALIZE_OPTIONS = { checkKeys: false, ignoreUndefined: false } as const;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeOpMsg(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = toBuffer(serialize(reply, SERIALIZE_OPTIONS));
  const length = 16 + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(0, 0);
  prefix.writeUInt8(0, 4);
  return Buffer.concat([header(length, requestId, responseTo, OP_CODES.OP_MSG), prefix, body], length);
}

export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = toBuffer(serialize(reply, SERIALIZE_OPTIONS));
  const length = 16 + 20 + body.length;
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(Long.ZERO.toBigInt(), 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(length, requestId, responseTo, OP_CODES.OP_REPLY), fields, body], length);
}

/** Encodes an OP_MSG request (used by unit tests and tools to talk to the server). */
export function encodeOpMsgRequest(command: Document, requestId: number, flags = 0, sequences: Array<[string, Document[]]> = []): Buffer {
  const parts: Buffer[] = [];
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags, 0);
  parts.push(flagBuf, Buffer.from([0]), toBuffer(serialize(command, SERIALIZE_OPTIONS)));
  for (const [name, docs] of sequences) {
    const encoded = docs.map((d) => toBuffer(serialize(d, SERIALIZE_OPTIONS)));
    const nameBuf = Buffer.from(name + '\0', 'utf8');
    const size = 4 + nameBuf.length + encoded.reduce((n, b) => n + b.length, 0);
    const sizeBuf = Buffer.alloc(4);
    sizeBuf.writeInt32LE(size, 0);
    parts.push(Buffer.from([1]), sizeBuf, nameBuf, ...encoded);
  }
  const payload = Buffer.concat(parts);
  return Buffer.concat([header(16 + payload.length, requestId, 0, OP_CODES.OP_MSG), payload]);
}

export { calculateObjectSize };
