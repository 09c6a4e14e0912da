// Routes a command document to its handler and shapes every failure as a mongod error
// reply. Session fields are accepted and ignored; transactions are refused as a
// standalone mongod refuses them.
import type { Document } from 'bson';
import { MongoCommandError, errorReply } from '../errors.js';
import { buildInfo, collStats, connectionStatus, dbStats, endSessions, hello, ping, serverStatus, whatsmyuri } from './admin-commands.js';
import { aggregate } from './aggregate-command.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { create, createIndexes, drop, dropDatabase, dropIndexes, listCollections, listDatabases, listIndexes, renameCollection } from './ddl-commands.js';
import { findAndModify } from './find-and-modify.js';
import { count, distinct, find, getMore, killCursors } from './read-commands.js';
import { deleteCommand, insert, update } from './write-commands.js';

const refuseTransaction: CommandHandler = () => {
  throw new MongoCommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos (mongo-test-server is a standalone server without transactions)');
};

export const COMMANDS: Readonly<Record<string, CommandHandler>> = Object.freeze({
  hello,
  isMaster: hello,
  ismaster: hello,
  ping,
  buildInfo,
  buildinfo: buildInfo,
  endSessions,
  killSessions: endSessions,
  connectionStatus,
  whatsmyuri,
  serverStatus,
  collStats,
  dbStats,
  insert,
  update,
  delete: deleteCommand,
  findAndModify,
  findandmodify: findAndModify,
  find,
  getMore,
  killCursors,
  aggregate,
  count,
  distinct,
  create,
  drop,
  dropDatabase,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listCollections,
  listDatabases,
  configureFailPoint: (command, { failPoints, db }) => failPoints.configure(command, db),
  commitTransaction: refuseTransaction,
  abortTransaction: refuseTransaction,
});

/** Runs one command; never throws (errors become `{ ok: 0, ... }` replies). */
export function runCommand(command: Document, context: CommandContext): Document {
  const name = Object.keys(command)[0];
  try {
    if (name === undefined) throw new MongoCommandError('FailedToParse', 'empty command document');
    const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!handler) throw new MongoCommandError('CommandNotFound', `no such command: '${name}' (not supported by mongo-test-server)`);
    if (command.startTransaction === true || command.autocommit === false) refuseTransaction(command, context);
    return handler(command, context);
  } catch (error) {
    return errorReply(error);
  }
}
