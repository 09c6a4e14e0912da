// findAndModify: one document found (optionally sorted), then removed or updated/upserted;
// returns the before or after image.
import type { Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { parseSortSpec, sortDocuments } from '../query/compare.js';
import { projectDocuments } from '../query/engine.js';
import { assertSafeUpdate } from '../query/guards.js';
import { selectDocuments } from '../query/select.js';
import { collectionArg, optionalBoolean, optionalDocument, timeLimit } from './command-context.js';
import type { CommandHandler } from './command-context.js';
import { makeResolver } from './aggregate-command.js';
import { applyUpdate, updateKind, upsertDocument } from './update-apply.js';

function image(doc: Document | undefined, fields: Document | undefined): Document | null {
  if (!doc) return null;
  return projectDocuments([doc], fields, 'findAndModify')[0] ?? null;
}

export const findAndModify: CommandHandler = (command, { store, db }) => {
  const name = collectionArg(command, Object.keys(command)[0] as string);
  const ns = `${db}.${name}`;
  const where = `findAndModify on ${ns}`;
  const query = optionalDocument(command, 'query', 'findAndModify') ?? {};
  const sort = optionalDocument(command, 'sort', 'findAndModify');
  const fields = optionalDocument(command, 'fields', 'findAndModify');
  const remove = optionalBoolean(command, 'remove');
  const returnNew = optionalBoolean(command, 'new');
  const upsert = optionalBoolean(command, 'upsert');
  const withinTimeLimit = timeLimit(command, 'findAndModify');
  const hasUpdate = command.update !== undefined;
  if (remove && hasUpdate) throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate) throw new MongoCommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && (upsert || returnNew)) throw new MongoCommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true, or new=true and remove=true');
  const arrayFilters = Array.isArray(command.arrayFilters) ? (command.arrayFilters as Document[]) : undefined;

  const collection = store.get(db, name);
  let matches = selectDocuments(collection, query, ns, where, sort ? Infinity : 1);
  if (sort && Object.keys(sort).length > 0) matches = sortDocuments(matches, parseSortSpec(sort, `${where} sort`));
  const target = matches[0];
  withinTimeLimit();

  if (remove) {
    if (target) collection?.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: image(target, fields), ok: 1 };
  }

  const kind = updateKind(command.update, where);
  const resolver = makeResolver(store, db);
  if (collection && kind === 'operators') assertSafeUpdate(command.update, collection.wideFields, ns);
  if (!target) {
    if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = upsertDocument(query, command.update, kind, { arrayFilters, resolver, where });
    const stored = store.getOrCreate(db, name).collection.insert(doc, ns);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: stored._id }, value: returnNew ? image(stored, fields) : null, ok: 1 };
  }
  const next = applyUpdate(target, command.update, kind, { arrayFilters, isInsert: false, resolver, where });
  (collection as NonNullable<typeof collection>).replace(target, next, ns);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: image(returnNew ? next : target, fields), ok: 1 };
};


