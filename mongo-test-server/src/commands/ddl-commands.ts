// Namespace and index commands: create, drop, dropDatabase, renameCollection,
// createIndexes, listIndexes, dropIndexes, listCollections, listDatabases.
import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import { compileFilter } from '../query/engine.js';
import { ID_INDEX_NAME } from '../store/collection-data.js';
import type { CollectionData } from '../store/collection-data.js';
import { defaultIndexName, sameKeyPattern } from '../store/index-spec.js';
import type { IndexDefinition } from '../store/index-spec.js';
import { collectionArg, optionalBoolean, optionalCount, optionalDocument, requireArray } from './command-context.js';
import type { CommandHandler } from './command-context.js';

const UNSUPPORTED_CREATE_OPTIONS = ['viewOn', 'pipeline', 'timeseries', 'clusteredIndex', 'encryptedFields'];

export const create: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'create');
  for (const option of UNSUPPORTED_CREATE_OPTIONS) {
    if (command[option] !== undefined) throw new MongoCommandError('CommandNotSupported', `create ${db}.${name}: option '${option}' (views, time series, clustered or encrypted collections) is not supported by mongo-test-server`);
  }
  const options: Document = {};
  for (const [key, value] of Object.entries(command)) {
    if (key !== 'create' && !key.startsWith('$') && !['lsid', 'txnNumber', 'writeConcern', 'comment', 'maxTimeMS'].includes(key)) options[key] = value;
  }
  store.create(db, name, options);
  return { ok: 1 };
};

export const drop: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'drop');
  const collection = store.get(db, name);
  // MongoDB 7 answers ok for a missing collection too.
  if (!collection) return { ok: 1 };
  const nIndexesWas = collection.indexes.size;
  store.drop(db, name);
  return { nIndexesWas, ns: `${db}.${name}`, ok: 1 };
};

export const dropDatabase: CommandHandler = (_command, { store, db }) => {
  store.dropDatabase(db);
  return { dropped: db, ok: 1 };
};

function splitNamespace(value: unknown, field: string): { db: string; coll: string } {
  if (typeof value !== 'string' || !value.includes('.')) {
    throw new MongoCommandError('InvalidNamespace', `renameCollection: '${field}' must be a full namespace 'db.collection', got ${String(value)}`);
  }
  const dot = value.indexOf('.');
  return { db: value.slice(0, dot), coll: value.slice(dot + 1) };
}

export const renameCollection: CommandHandler = (command, { store }) => {
  const from = splitNamespace(command.renameCollection, 'renameCollection');
  const to = splitNamespace(command.to, 'to');
  store.rename(from.db, from.coll, to.db, to.coll, optionalBoolean(command, 'dropTarget'));
  return { ok: 1 };
};

const INDEX_OPTION_FIELDS = new Set(['key', 'name', 'unique', 'sparse', 'v', 'ns']);

function parseIndex(raw: unknown, position: number, ns: string): IndexDefinition {
  if (!isPlainObject(raw)) throw new MongoCommandError('TypeMismatch', `createIndexes on ${ns}: indexes[${position}] must be a document`);
  const key: unknown = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new MongoCommandError('BadValue', `createIndexes on ${ns}: indexes[${position}].key must be a non-empty document`);
  }
  for (const [field, direction] of Object.entries(key)) {
    const ok = direction === 1 || direction === -1 || ['text', 'hashed', '2d', '2dsphere'].includes(direction as string);
    if (!ok) throw new MongoCommandError('CannotCreateIndex', `createIndexes on ${ns}: bad index key pattern { ${field}: ${String(direction)} }`);
  }
  const name = typeof raw.name === 'string' ? raw.name : defaultIndexName(key);
  const options: Document = {};
  for (const [k, v] of Object.entries(raw)) if (!INDEX_OPTION_FIELDS.has(k)) options[k] = v;
  const definition: IndexDefinition = { name, key: { ...key }, unique: raw.unique === true, sparse: raw.sparse === true, options };
  if (isPlainObject(raw.partialFilterExpression)) definition.partialFilter = compileFilter(raw.partialFilterExpression, `createIndexes ${name} partialFilterExpression`);
  return definition;
}

export const createIndexes: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, 'createIndexes');
  const ns = `${db}.${name}`;
  const specs = requireArray(command, 'indexes', 'createIndexes');
  if (specs.length === 0) throw new MongoCommandError('BadValue', `createIndexes on ${ns}: must specify at least one index`);
  const definitions = specs.map((raw, i) => parseIndex(raw, i, ns));
  const { collection, created } = store.getOrCreate(db, name);
  const before = collection.indexes.size;
  for (const definition of definitions) collection.addIndex(definition, ns);
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: collection.indexes.size, createdCollectionAutomatically: created, ok: 1 };
  if (collection.indexes.size === before) reply.note = 'all indexes already exist';
  return reply;
};

function describeIndex(collection: CollectionData): Document[] {
  return Array.from(collection.indexes.values()).map(({ definition }) => {
    const out: Document = { v: 2, key: { ...definition.key }, name: definition.name };
    if (definition.unique) out.unique = true;
    if (definition.sparse) out.sparse = true;
    return { ...out, ...definition.options };
  });
}

export const listIndexes: CommandHandler = (command, { store, cursors, db }) => {
  const name = collectionArg(command, 'listIndexes');
  const collection = store.get(db, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
  const batchSize = optionalCount(optionalDocument(command, 'cursor', 'listIndexes') ?? {}, 'batchSize', 'listIndexes.cursor');
  return cursors.open(`${db}.${name}`, describeIndex(collection), { batchSize });
};

export const dropIndexes: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, Object.keys(command)[0] as string);
  const ns = `${db}.${name}`;
  const collection = store.get(db, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `ns not found ${ns}`);
  const nIndexesWas = collection.indexes.size;
  const target: unknown = command.index;
  const names: string[] = [];
  if (target === '*') {
    names.push(...Array.from(collection.indexes.keys()).filter((n) => n !== ID_INDEX_NAME));
  } else if (typeof target === 'string') {
    names.push(target);
  } else if (Array.isArray(target)) {
    names.push(...target.map(String));
  } else if (isPlainObject(target)) {
    const found = Array.from(collection.indexes.values()).find((s) => sameKeyPattern(s.definition.key, target));
    if (!found) throw new MongoCommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)} on ${ns}`);
    names.push(found.definition.name);
  } else {
    throw new MongoCommandError('TypeMismatch', `dropIndexes on ${ns}: 'index' must be a string, array or document`);
  }
  for (const index of names) {
    if (index === ID_INDEX_NAME) throw new MongoCommandError('InvalidOptions', `cannot drop _id index (${ns})`);
    if (!collection.indexes.has(index)) throw new MongoCommandError('IndexNotFound', `index not found with name [${index}] on ${ns}`);
  }
  for (const index of names) collection.indexes.delete(index);
  return { nIndexesWas, ok: 1 };
};

export const listCollections: CommandHandler = (command, { store, cursors, db }) => {
  const filter = optionalDocument(command, 'filter', 'listCollections');
  const nameOnly = optionalBoolean(command, 'nameOnly');
  const batchSize = optionalCount(optionalDocument(command, 'cursor', 'listCollections') ?? {}, 'batchSize', 'listCollections.cursor');
  const entries: Document[] = store.collectionNames(db).map((name) => {
    const collection = store.get(db, name) as CollectionData;
    if (nameOnly) return { name, type: 'collection' };
    return {
      name,
      type: 'collection',
      options: { ...collection.options },
      info: { readOnly: false, uuid: collection.uuid },
      idIndex: { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME },
    };
  });
  const predicate = compileFilter(filter, 'listCollections');
  return cursors.open(`${db}.$cmd.listCollections`, entries.filter(predicate), { batchSize });
};

export const listDatabases: CommandHandler = (command, { store }) => {
  const filter = optionalDocument(command, 'filter', 'listDatabases');
  const nameOnly = optionalBoolean(command, 'nameOnly');
  const all = store.databaseNames().map((name) => {
    const sizeOnDisk = store.approximateSize(name);
    return nameOnly ? { name } : { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const databases = all.filter(compileFilter(filter, 'listDatabases'));
  const totalSize = databases.reduce((n, d) => n + (typeof d.sizeOnDisk === 'number' ? d.sizeOnDisk : 0), 0);
  return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};
