// aggregate: leading $match stages filter the stored documents without copying them; the
// rest of the pipeline runs in mingo over deep copies (mingo mutates its inputs in some
// stages), with our own $sort and $sample.
import type { Document } from 'bson';
import { cloneValue, isPlainObject } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import { compileFilter, runPipeline } from '../query/engine.js';
import type { CollectionResolver } from '../query/engine.js';
import { assertNoWideLiterals, assertNotTouchingWide, assertSupportedStages, pipelineRoots } from '../query/guards.js';
import { selectDocuments } from '../query/select.js';
import type { MemoryStore } from '../store/memory-store.js';
import { optionalCount, optionalDocument, timeLimit } from './command-context.js';
import type { CommandHandler } from './command-context.js';

/** Collections named by $lookup/$unionWith/$graphLookup, with the field read in each. */
function foreignReads(pipeline: Document[], out: Array<{ from: string; field?: string }> = []): Array<{ from: string; field?: string }> {
  for (const stage of pipeline) {
    for (const [name, spec] of Object.entries(stage)) {
      if ((name === '$lookup' || name === '$graphLookup') && isPlainObject(spec) && typeof spec.from === 'string') {
        const field = typeof spec.foreignField === 'string' ? spec.foreignField : typeof spec.connectToField === 'string' ? spec.connectToField : undefined;
        out.push(field === undefined ? { from: spec.from } : { from: spec.from, field: field.split('.')[0] as string });
        if (Array.isArray(spec.pipeline)) foreignReads(spec.pipeline as Document[], out);
      }
      if (name === '$unionWith') {
        const from = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec.coll : undefined;
        if (typeof from === 'string') out.push({ from });
      }
      if (name === '$facet' && isPlainObject(spec)) for (const sub of Object.values(spec)) if (Array.isArray(sub)) foreignReads(sub as Document[], out);
    }
  }
  return out;
}

export function makeResolver(store: MemoryStore, db: string): CollectionResolver {
  return (name) => (store.get(db, name)?.values() ?? []).map((d) => cloneValue(d));
}

export const aggregate: CommandHandler = (command, { store, cursors, db }) => {
  const target: unknown = command.aggregate;
  const dbLevel = target === 1;
  if (!dbLevel && (typeof target !== 'string' || target.length === 0)) {
    throw new MongoCommandError('FailedToParse', `aggregate: the collection name must be a string or 1, got ${String(target)}`);
  }
  const name = dbLevel ? '$cmd.aggregate' : (target as string);
  const ns = `${db}.${name}`;
  const pipeline: unknown = command.pipeline;
  assertSupportedStages(pipeline, 'aggregate');
  if (command.explain) throw new MongoCommandError('CommandNotSupported', 'aggregate: explain is not supported by mongo-test-server');
  const cursorSpec = optionalDocument(command, 'cursor', 'aggregate');
  if (!cursorSpec) {
    throw new MongoCommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const batchSize = optionalCount(cursorSpec, 'batchSize', 'aggregate.cursor');
  const withinTimeLimit = timeLimit(command, 'aggregate');
  assertNoWideLiterals(pipeline, 'aggregate pipeline');

  const collection = dbLevel ? undefined : store.get(db, name);
  if (collection) assertNotTouchingWide(pipelineRoots(pipeline), collection.wideFields, ns, 'aggregate');
  for (const read of foreignReads(pipeline)) {
    const foreign = store.get(db, read.from);
    if (foreign && read.field) assertNotTouchingWide([read.field], foreign.wideFields, `${db}.${read.from}`, 'aggregate lookup');
  }

  // Leading $match stages are answered from the stored documents (no copy needed: filtering
  // does not mutate); everything after gets deep copies.
  let start = 0;
  let docs: Document[] = collection ? collection.values() : [];
  while (start < pipeline.length && (pipeline[start] as Document).$match !== undefined) {
    const filter: unknown = (pipeline[start] as Document).$match;
    docs = start === 0 ? selectDocuments(collection, filter, ns, 'aggregate $match') : docs.filter(compileFilter(filter, 'aggregate $match'));
    start++;
  }
  const rest = pipeline.slice(start);
  // Serialising replies never mutates, so a $match-only pipeline can return stored documents.
  const results = rest.length === 0 ? docs : runPipeline(docs.map((d) => cloneValue(d)), rest, makeResolver(store, db));
  withinTimeLimit();
  return cursors.open(ns, results, { batchSize, source: collection });
};
