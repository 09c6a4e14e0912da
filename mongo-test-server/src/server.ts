// The TCP server: frames messages per connection, answers the OP_QUERY handshake with
// OP_REPLY and everything else over OP_MSG. `stop()` destroys every open socket so clients
// see the server vanish; the store survives for a new server on the same port.
import net from 'node:net';
import type { Document } from 'bson';
import pino from 'pino';
import { runCommand } from './commands/dispatcher.js';
import { CursorManager } from './commands/cursor-manager.js';
import { FailPoints } from './commands/fail-points.js';
import type { CommandContext, ServerInfo } from './commands/command-context.js';
import { MongoCommandError, errorReply } from './errors.js';
import { MemoryStore } from './store/memory-store.js';
import { MessageFramer } from './wire/message-framer.js';
import { OP_MSG_FLAGS, encodeOpMsg, encodeOpReply, parseMessage } from './wire/message-codec.js';

export interface MongoTestServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Reuse the data of a previous server (restart scenarios). */
  store?: MemoryStore;
  logLevel?: pino.Level | 'silent';
}

export interface MongoTestServer {
  uri: string;
  port: number;
  host: string;
  store: MemoryStore;
  stop(): Promise<void>;
}

type Encoder = (reply: Document, requestId: number, responseTo: number) => Buffer;

/** Encodes a reply; one too large for BSON becomes a BSONObjectTooLarge error reply instead. */
function encodeReply(encode: Encoder, reply: Document, requestId: number, responseTo: number): Buffer {
  try {
    return encode(reply, requestId, responseTo);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return encode(errorReply(new MongoCommandError('BSONObjectTooLarge', `reply could not be encoded as BSON (over 16 MiB?): ${message}`)), requestId, responseTo);
  }
}

export async function startMongoTestServer(options: MongoTestServerOptions = {}): Promise<MongoTestServer> {
  const host = options.host ?? '127.0.0.1';
  const store = options.store ?? new MemoryStore();
  const log = pino({ name: 'mongo-test-server', level: options.logLevel ?? process.env.MONGO_TEST_SERVER_LOG ?? 'warn' });
  const cursors = new CursorManager();
  const failPoints = new FailPoints();
  const sockets = new Set<net.Socket>();
  const startedAt = Date.now();
  let connectionCounter = 0;
  let responseCounter = 0;

  const server = net.createServer((socket) => {
    const connectionId = ++connectionCounter;
    sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    // The driver's appName from the handshake, which a fail point may target.
    let appName: string | undefined;
    const info: ServerInfo = {
      connectionId,
      startedAt,
      connectionCount: () => sockets.size,
      totalConnections: () => connectionCounter,
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of framer.push(chunk)) {
          const incoming = parseMessage(message);
          const db = incoming.kind === 'query' ? incoming.collection.split('.')[0] ?? 'admin' : typeof incoming.command.$db === 'string' ? incoming.command.$db : 'admin';
          const context: CommandContext = { store, cursors, failPoints, db, server: info };
          const name = Object.keys(incoming.command)[0] ?? '';
          if (name === 'hello' || name.toLowerCase() === 'ismaster') appName = handshakeAppName(incoming.command) ?? appName;
          const fault = failPoints.intercept(name, appName);
          if (fault?.kind === 'close') {
            socket.destroy();
            return;
          }
          const reply: Document = fault ? fault.reply : runCommand(incoming.command, context);
          const encode = incoming.kind === 'query' ? encodeOpReply : encodeOpMsg;
          if (incoming.kind === 'query' || (incoming.flags & OP_MSG_FLAGS.moreToCome) === 0) {
            socket.write(encodeReply(encode, reply, ++responseCounter, incoming.header.requestId));
          }
        }
      } catch (error) {
        // A malformed frame leaves the stream unparseable: drop the connection, as mongod does.
        log.warn({ err: error, connectionId }, 'closing connection after a protocol error');
        socket.destroy();
      }
    });
    socket.on('error', (err) => log.debug({ err, connectionId }, 'socket error'));
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  log.info({ host, port }, 'mongo-test-server listening');

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      cursors.clear();
    });
    return stopped;
  };

  return { uri: `mongodb://${host}:${port}`, port, host, store, stop };
}

/** `client.application.name` of a handshake command, if the client sent one. */
function handshakeAppName(command: Document): string | undefined {
  const client: unknown = command.client;
  const application: unknown = client && typeof client === 'object' ? (client as Document).application : undefined;
  const name: unknown = application && typeof application === 'object' ? (application as Document).name : undefined;
  return typeof name === 'string' ? name : undefined;
}
