// Computing the next version of a document for update/findAndModify: replacement,
// operator (via mingo's updater on a copy, plus $setOnInsert) and pipeline updates, and the
// seed document of an upsert.
import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { update as applyOperators } from 'mingo/updater';
import { cloneValue, isPlainObject } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import { runPipeline, withEngineErrors } from '../query/engine.js';
import type { CollectionResolver } from '../query/engine.js';
import { assertSupportedStages } from '../query/guards.js';

export type UpdateKind = 'replacement' | 'operators' | 'pipeline';

export function updateKind(update: unknown, where: string): UpdateKind {
  if (Array.isArray(update)) return 'pipeline';
  if (!isPlainObject(update)) throw new MongoCommandError('FailedToParse', `${where}: update must be a document or a pipeline, got ${typeof update}`);
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) return 'replacement';
  if (operators.length !== keys.length) {
    throw new MongoCommandError('FailedToParse', `${where}: update mixes operators and plain fields (${keys.join(', ')})`);
  }
  return 'operators';
}

/**
 * The updated copy of `doc` (never mutates `doc`); `doc` itself when an operator update
 * changes nothing. `isInsert` applies $setOnInsert.
 */
export function applyUpdate(doc: Document, update: unknown, kind: UpdateKind, options: { arrayFilters?: Document[] | undefined; isInsert: boolean; resolver: CollectionResolver; where: string }): Document {
  if (kind === 'replacement') {
    const replacement = cloneValue(update as Document);
    const { _id: replacementId, ...rest } = replacement;
    const id: unknown = doc._id !== undefined ? doc._id : replacementId;
    if (doc._id !== undefined && replacementId !== undefined) {
      // Let CollectionData.replace report a changed _id as ImmutableField.
      return { _id: replacementId, ...rest };
    }
    return id === undefined ? rest : { _id: id, ...rest };
  }
  if (kind === 'pipeline') {
    assertSupportedStages(update, options.where);
    const [result] = runPipeline([cloneValue(doc)], update as Document[], options.resolver);
    if (!result) throw new MongoCommandError('BadValue', `${options.where}: the update pipeline removed the document`);
    return result;
  }
  const { $setOnInsert, ...operators } = update as Document;
  const modifier: Document = { ...operators };
  if (options.isInsert && isPlainObject($setOnInsert)) modifier.$set = { ...(isPlainObject(modifier.$set) ? modifier.$set : {}), ...$setOnInsert };
  const next = cloneValue(doc);
  if (Object.keys(modifier).length === 0) return options.isInsert ? next : doc;
  for (const [op, spec] of Object.entries(modifier)) {
    if (!isPlainObject(spec)) throw new MongoCommandError('FailedToParse', `${options.where}: Modifiers operate on fields but we found type ${typeof spec} instead for ${op}`);
  }
  const changed = withEngineErrors(() => applyOperators(next, modifier, options.arrayFilters, undefined, { cloneMode: 'deep' }));
  // mingo reports the paths it changed: an empty list means a no-op (nModified 0).
  return changed.length === 0 ? doc : next;
}

function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    if (!isPlainObject(current[part])) current[part] = {};
    current = current[part] as Document;
  }
  current[parts[parts.length - 1] as string] = cloneValue(value);
}

/** Equality fields of a filter (`{a: 1, 'b.c': 2, d: {$eq: 3}}`, through $and) for an upsert. */
export function upsertSeed(filter: unknown): Document {
  const seed: Document = {};
  const visit = (f: unknown): void => {
    if (!isPlainObject(f)) return;
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) value.forEach(visit);
      if (key.startsWith('$')) continue;
      if (isPlainObject(value)) {
        const keys = Object.keys(value);
        if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
          if (keys.length === 1 && keys[0] === '$eq') setPath(seed, key, value.$eq);
          continue;
        }
      }
      if (value instanceof RegExp) continue;
      setPath(seed, key, value);
    }
  };
  visit(filter);
  return seed;
}

/** The document an upsert inserts. */
export function upsertDocument(filter: unknown, update: unknown, kind: UpdateKind, options: { arrayFilters?: Document[] | undefined; resolver: CollectionResolver; where: string }): Document {
  const seed = kind === 'replacement' ? (upsertSeed(filter)._id === undefined ? {} : { _id: upsertSeed(filter)._id }) : upsertSeed(filter);
  const next = applyUpdate(seed, update, kind, { ...options, isInsert: true });
  if (next._id === undefined) return { _id: new ObjectId(), ...next };
  return next;
}
