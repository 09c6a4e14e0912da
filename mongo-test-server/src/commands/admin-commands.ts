// Handshake, health and statistics commands.
import { calculateObjectSize } from 'bson';
import type { Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { MAX_MESSAGE_SIZE_BYTES } from '../wire/message-framer.js';
import { collectionArg } from './command-context.js';
import type { CommandHandler } from './command-context.js';

export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const SERVER_VERSION = '7.0.0';

/**
 * Standalone-server hello. Deliberately no `topologyVersion`: with it the driver switches
 * to streaming (awaitable) hello and clears its pool on every heartbeat.
 */
export const hello: CommandHandler = (command, { server }) => {
  const reply: Document = {
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: server.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  if (command.helloOk === true) reply.helloOk = true;
  return reply;
};

export const ping: CommandHandler = () => ({ ok: 1 });

export const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'mongo-test-server',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['mongo-test-server-memory'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

export const endSessions: CommandHandler = () => ({ ok: 1 });

export const connectionStatus: CommandHandler = () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 });

export const whatsmyuri: CommandHandler = () => ({ you: '127.0.0.1', ok: 1 });

export const serverStatus: CommandHandler = (_command, { server, store, cursors }) => {
  const uptimeMillis = Date.now() - server.startedAt;
  return {
    host: 'mongo-test-server',
    version: SERVER_VERSION,
    process: 'mongo-test-server',
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    localTime: new Date(),
    connections: { current: server.connectionCount(), available: 10_000, totalCreated: server.totalConnections() },
    metrics: { cursor: { open: { total: cursors.openCount } } },
    storageEngine: { name: 'mongo-test-server-memory', persistent: false },
    databases: store.databaseNames().length,
    ok: 1,
  };
};

function dataSize(docs: Iterable<Document>): number {
  let bytes = 0;
  for (const doc of docs) bytes += calculateObjectSize(doc, { ignoreUndefined: false });
  return bytes;
}

export const collStats: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'collStats');
  const collection = store.get(db, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `Collection [${db}.${name}] not found.`);
  const size = dataSize(collection.docs.values());
  const indexSizes: Document = {};
  for (const index of collection.indexes.keys()) indexSizes[index] = 0;
  return {
    ns: `${db}.${name}`,
    count: collection.size,
    size,
    avgObjSize: collection.size === 0 ? 0 : Math.round(size / collection.size),
    storageSize: size,
    nindexes: collection.indexes.size,
    totalIndexSize: 0,
    indexSizes,
    ok: 1,
  };
};

export const dbStats: CommandHandler = (_command, { store, db }) => {
  let objects = 0;
  let bytes = 0;
  let indexes = 0;
  const names = store.collectionNames(db);
  for (const name of names) {
    const collection = store.get(db, name);
    if (!collection) continue;
    objects += collection.size;
    bytes += dataSize(collection.docs.values());
    indexes += collection.indexes.size;
  }
  return {
    db,
    collections: names.length,
    views: 0,
    objects,
    avgObjSize: objects === 0 ? 0 : bytes / objects,
    dataSize: bytes,
    storageSize: bytes,
    indexes,
    indexSize: 0,
    ok: 1,
  };
};
