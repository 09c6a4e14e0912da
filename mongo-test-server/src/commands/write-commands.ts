// insert, update, delete: per-statement write errors (E11000 with keyPattern/keyValue),
// `ordered` semantics, upserts and multi updates.
import type { Document } from 'bson';
import { isPlainObject, keyOf } from '../bson-values.js';
import { MongoCommandError, translateEngineError, isMongoCommandError } from '../errors.js';
import { assertSafeUpdate } from '../query/guards.js';
import { parseSortSpec, sortDocuments } from '../query/compare.js';
import { selectDocuments } from '../query/select.js';
import { collectionArg, optionalCount, requireArray } from './command-context.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { makeResolver } from './aggregate-command.js';
import { applyUpdate, updateKind, upsertDocument } from './update-apply.js';

interface WriteError {
  index: number;
  code: number;
  errmsg: string;
  [extra: string]: unknown;
}

function writeError(index: number, error: unknown): WriteError {
  const e = isMongoCommandError(error) ? error : translateEngineError(error);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

function isOrdered(command: Document): boolean {
  return command.ordered !== false;
}

function withWriteErrors(reply: Document, errors: WriteError[]): Document {
  if (errors.length > 0) reply.writeErrors = errors;
  return reply;
}

export const insert: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'insert');
  const ns = `${db}.${name}`;
  const documents = requireArray(command, 'documents', 'insert');
  const collection = store.getOrCreate(db, name).collection;
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < documents.length; i++) {
    const doc: unknown = documents[i];
    try {
      if (!isPlainObject(doc)) throw new MongoCommandError('TypeMismatch', `insert: documents[${i}] is not a document`);
      // The parsed command is ours alone, so the document is stored without a copy.
      collection.insert(doc, ns);
      n++;
    } catch (error) {
      errors.push(writeError(i, error));
      if (isOrdered(command)) break;
    }
  }
  return withWriteErrors({ n, ok: 1 }, errors);
};

interface UpdateStatement {
  q?: unknown;
  u?: unknown;
  upsert?: unknown;
  multi?: unknown;
  arrayFilters?: unknown;
  sort?: unknown;
}

function runUpdateStatement(statement: UpdateStatement, index: number, context: CommandContext, name: string): { n: number; nModified: number; upserted?: unknown } {
  const { store, db } = context;
  const ns = `${db}.${name}`;
  const where = `update statement ${index} on ${ns}`;
  if (!isPlainObject(statement.q)) throw new MongoCommandError('TypeMismatch', `${where}: 'q' must be a document`);
  const kind = updateKind(statement.u, where);
  const multi = statement.multi === true;
  if (multi && kind === 'replacement') throw new MongoCommandError('FailedToParse', `${where}: multi update is not supported for replacement-style update`);
  const arrayFilters = Array.isArray(statement.arrayFilters) ? (statement.arrayFilters as Document[]) : undefined;
  const resolver = makeResolver(store, db);
  const existing = store.get(db, name);
  if (existing && kind === 'operators') assertSafeUpdate(statement.u, existing.wideFields, ns);
  let matches = selectDocuments(existing, statement.q, ns, where, multi || statement.sort ? Infinity : 1);
  if (statement.sort !== undefined && isPlainObject(statement.sort) && Object.keys(statement.sort).length > 0) {
    matches = sortDocuments(matches, parseSortSpec(statement.sort, where)).slice(0, multi ? undefined : 1);
  }
  if (matches.length === 0) {
    if (statement.upsert !== true) return { n: 0, nModified: 0 };
    const doc = upsertDocument(statement.q, statement.u, kind, { arrayFilters, resolver, where });
    const stored = store.getOrCreate(db, name).collection.insert(doc, ns);
    return { n: 1, nModified: 0, upserted: stored._id };
  }
  const collection = existing as NonNullable<typeof existing>;
  let nModified = 0;
  for (const doc of matches) {
    const next = applyUpdate(doc, statement.u, kind, { arrayFilters, isInsert: false, resolver, where });
    if (next === doc || (kind !== 'operators' && keyOf(next) === keyOf(doc))) continue;
    collection.replace(doc, next, ns);
    nModified++;
  }
  return { n: matches.length, nModified };
}

export const update: CommandHandler = (command, context) => {
  const name = collectionArg(command, 'update');
  const statements = requireArray(command, 'updates', 'update');
  const errors: WriteError[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < statements.length; i++) {
    try {
      const statement: unknown = statements[i];
      if (!isPlainObject(statement)) throw new MongoCommandError('TypeMismatch', `update: updates[${i}] is not a document`);
      const result = runUpdateStatement(statement, i, context, name);
      n += result.n;
      nModified += result.nModified;
      if (result.upserted !== undefined) upserted.push({ index: i, _id: result.upserted });
    } catch (error) {
      errors.push(writeError(i, error));
      if (isOrdered(command)) break;
    }
  }
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, errors);
};

export const deleteCommand: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'delete');
  const ns = `${db}.${name}`;
  const statements = requireArray(command, 'deletes', 'delete');
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < statements.length; i++) {
    try {
      const statement: unknown = statements[i];
      if (!isPlainObject(statement)) throw new MongoCommandError('TypeMismatch', `delete: deletes[${i}] is not a document`);
      const limit = optionalCount(statement, 'limit', 'delete') ?? 0;
      if (limit !== 0 && limit !== 1) throw new MongoCommandError('BadValue', `delete: deletes[${i}].limit must be 0 or 1, got ${limit}`);
      const collection = store.get(db, name);
      const matches = selectDocuments(collection, statement.q, ns, `delete statement ${i}`, limit === 1 ? 1 : Infinity);
      for (const doc of matches) collection?.remove(doc);
      n += matches.length;
    } catch (error) {
      errors.push(writeError(i, error));
      if (isOrdered(command)) break;
    }
  }
  return withWriteErrors({ n, ok: 1 }, errors);
};
