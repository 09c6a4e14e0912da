// One collection: documents in natural (insertion) order keyed by canonical _id, plus its
// indexes. Stored documents are never mutated in place: updates replace them, so cursors
// and results holding references keep a consistent snapshot.
import { ObjectId, UUID } from 'bson';
import type { Document } from 'bson';
import { containsWideNumeric, keyOf } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import { IndexState, sameKeyPattern } from './index-spec.js';
import type { IndexDefinition } from './index-spec.js';

export const ID_INDEX_NAME = '_id_';

function idFirst(doc: Document): Document {
  const out: Document = { _id: doc._id };
  for (const key in doc) if (key !== '_id') out[key] = doc[key];
  return out;
}

function firstKey(doc: Document): string | undefined {
  for (const key in doc) return key;
  return undefined;
}

export class CollectionData {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, IndexState>();
  /** Top-level fields that have held a Long/Decimal128 somewhere (guards mingo's blind spots). */
  readonly wideFields = new Set<string>();
  readonly createdAt = new Date();
  readonly uuid = new UUID();

  constructor(public options: Document = {}) {}

  get size(): number {
    return this.docs.size;
  }

  /** Inserts a document the caller owns (no copy is made). Adds an ObjectId _id if missing. */
  insert(doc: Document, ns: string): Document {
    let stored = doc;
    if (stored._id === undefined) stored = { _id: new ObjectId(), ...doc };
    else if (firstKey(stored) !== '_id') stored = idFirst(stored); // mongod stores _id first
    if (Array.isArray(stored._id)) throw new MongoCommandError('BadValue', `can't use an array for _id (collection ${ns})`);
    const id = keyOf(stored._id);
    if (this.docs.has(id)) throw this.duplicateIdError(stored, ns);
    for (const index of this.indexes.values()) index.check(stored, id, ns);
    for (const index of this.indexes.values()) index.add(stored, id);
    this.docs.set(id, stored);
    this.noteWideFields(stored);
    return stored;
  }

  /** Replaces the document whose _id is unchanged by `next`. */
  replace(previous: Document, next: Document, ns: string): void {
    const id = keyOf(previous._id);
    if (keyOf(next._id) !== id) {
      throw new MongoCommandError('ImmutableField', `Performing an update on the path '_id' would modify the immutable field '_id' (collection ${ns})`);
    }
    for (const index of this.indexes.values()) index.check(next, id, ns);
    for (const index of this.indexes.values()) index.remove(previous, id);
    for (const index of this.indexes.values()) index.add(next, id);
    this.docs.set(id, next);
    this.noteWideFields(next);
  }

  remove(doc: Document): void {
    const id = keyOf(doc._id);
    for (const index of this.indexes.values()) index.remove(doc, id);
    this.docs.delete(id);
    if (this.docs.size === 0) this.wideFields.clear();
  }

  getById(idValue: unknown): Document | undefined {
    return this.docs.get(keyOf(idValue));
  }

  values(): Document[] {
    return Array.from(this.docs.values());
  }

  /** Adds an index; a unique one is built over existing documents and fails on duplicates. */
  addIndex(definition: IndexDefinition, ns: string): 'created' | 'exists' {
    for (const existing of this.indexes.values()) {
      const def = existing.definition;
      if (def.name === definition.name) {
        if (sameKeyPattern(def.key, definition.key) && def.unique === definition.unique && def.sparse === definition.sparse) return 'exists';
        throw new MongoCommandError(
          sameKeyPattern(def.key, definition.key) ? 'IndexOptionsConflict' : 'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index but different options or key. Requested index: ${definition.name}, existing index: ${def.name} (collection ${ns})`,
        );
      }
      if (sameKeyPattern(def.key, definition.key)) {
        if (def.unique === definition.unique && def.sparse === definition.sparse) {
          throw new MongoCommandError('IndexOptionsConflict', `Index already exists with a different name: ${def.name} (requested ${definition.name}, collection ${ns})`);
        }
        throw new MongoCommandError('IndexOptionsConflict', `An equivalent index already exists with the same name or key but different options: ${def.name} (collection ${ns})`);
      }
    }
    const state = new IndexState(definition);
    for (const [id, doc] of this.docs) {
      state.check(doc, id, ns);
      state.add(doc, id);
    }
    this.indexes.set(definition.name, state);
    return 'created';
  }

  private duplicateIdError(doc: Document, ns: string): MongoCommandError {
    const idIndex = new IndexState({ name: ID_INDEX_NAME, key: { _id: 1 }, unique: true, sparse: false, options: {} });
    return idIndex.duplicateError(doc, ns);
  }

  private noteWideFields(doc: Document): void {
    for (const key of Object.keys(doc)) {
      const value: unknown = doc[key];
      if (value !== null && typeof value === 'object' && !(value instanceof Date) && containsWideNumeric(value)) this.wideFields.add(key);
      else if (typeof value === 'bigint') this.wideFields.add(key);
    }
  }
}
