// find, getMore, killCursors, count, distinct.
import { keyOf, valuesAtPath } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import { compareValues, parseSortSpec, sortDocuments } from '../query/compare.js';
import { projectDocuments } from '../query/engine.js';
import { selectDocuments } from '../query/select.js';
import { collectionArg, optionalBoolean, optionalCount, optionalDocument, requireArray, timeLimit, toNumber } from './command-context.js';
import type { CommandHandler } from './command-context.js';

export const find: CommandHandler = (command, { store, cursors, db }) => {
  const name = collectionArg(command, 'find');
  const ns = `${db}.${name}`;
  const filter = optionalDocument(command, 'filter', 'find');
  const sort = optionalDocument(command, 'sort', 'find');
  const projection = optionalDocument(command, 'projection', 'find');
  const skip = optionalCount(command, 'skip', 'find') ?? 0;
  const limit = optionalCount(command, 'limit', 'find');
  const batchSize = optionalCount(command, 'batchSize', 'find');
  const withinTimeLimit = timeLimit(command, 'find');
  const collection = store.get(db, name);
  // Without sort/skip we can stop scanning once `limit` documents matched.
  const scanMax = !sort && limit ? skip + limit : Infinity;
  let docs = selectDocuments(collection, filter, ns, 'find', scanMax);
  if (sort && Object.keys(sort).length > 0) docs = sortDocuments(docs, parseSortSpec(sort, 'find.sort'));
  if (skip > 0) docs = docs.slice(skip);
  if (limit) docs = docs.slice(0, limit);
  docs = projectDocuments(docs, projection, 'find');
  withinTimeLimit();
  return cursors.open(ns, docs, { batchSize, limit, singleBatch: optionalBoolean(command, 'singleBatch'), source: collection });
};

export const getMore: CommandHandler = (command, { cursors, db, store }) => cursors.getMore(command, db, (d, name) => store.get(d, name));

export const killCursors: CommandHandler = (command, context) => {
  collectionArg(command, 'killCursors');
  return context.cursors.kill(requireArray(command, 'cursors', 'killCursors'));
};

export const count: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'count');
  const ns = `${db}.${name}`;
  const query = optionalDocument(command, 'query', 'count');
  const skip = optionalCount(command, 'skip', 'count') ?? 0;
  const limit = toNumber(command.limit);
  const withinTimeLimit = timeLimit(command, 'count');
  const matched = selectDocuments(store.get(db, name), query, ns, 'count').length;
  let n = Math.max(0, matched - skip);
  if (limit !== undefined && limit !== 0) n = Math.min(n, Math.abs(limit));
  withinTimeLimit();
  return { n, ok: 1 };
};

export const distinct: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'distinct');
  const ns = `${db}.${name}`;
  const key: unknown = command.key;
  if (typeof key !== 'string' || key.length === 0) throw new MongoCommandError('TypeMismatch', `distinct: 'key' must be a non-empty string, got ${typeof key}`);
  const query = optionalDocument(command, 'query', 'distinct');
  const docs = selectDocuments(store.get(db, name), query, ns, 'distinct');
  // Equality through canonical keys, so 1, 1.0 and Long(1) collapse like in mongod.
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const value of valuesAtPath(doc, key)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        const k = keyOf(v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
  }
  return { values: Array.from(seen.values()).sort(compareValues), ok: 1 };
};
