// mingo, configured for the test server: its own $sort (BSON order) and $sample (without
// replacement), no scripting, no $out/$merge, and a collection resolver for $lookup.
import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import type { Iterator } from 'mingo/lazy';
import { Lazy } from 'mingo/lazy';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { cloneValue, isPlainObject } from '../bson-values.js';
import { MongoCommandError, isMongoCommandError, translateEngineError } from '../errors.js';
import { parseSortSpec, sortDocuments } from './compare.js';

type OperatorMap = Record<`$${string}`, never>;

function operators(module: object, exclude: readonly string[] = []): OperatorMap {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(module)) {
    if (name.startsWith('$') && typeof fn === 'function' && !exclude.includes(name)) out[name] = fn;
  }
  return out as OperatorMap;
}

/** Picks `size` distinct documents uniformly (partial Fisher–Yates), unlike mingo's $sample. */
export function sampleWithoutReplacement<T>(docs: readonly T[], size: number, random: () => number = Math.random): T[] {
  const pool = docs.slice();
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const tmp = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = tmp;
  }
  return pool.slice(0, n);
}

function sortStage(coll: Iterator, spec: unknown): Iterator {
  const parsed = parseSortSpec(spec, '$sort');
  return coll.transform((docs: Document[]) => Lazy(sortDocuments(docs, parsed)));
}

function sampleStage(coll: Iterator, spec: unknown): Iterator {
  const size = isPlainObject(spec) ? spec.size : undefined;
  if (typeof size !== 'number' || !Number.isFinite(size)) {
    throw new MongoCommandError('Location28747', `$sample: size argument must be a number, got ${String(size)}`);
  }
  if (size < 0) throw new MongoCommandError('Location28747', `size argument to $sample must not be negative (got ${size})`);
  return coll.transform((docs: Document[]) => Lazy(sampleWithoutReplacement(docs, Math.floor(size))));
}

const CONTEXT = Context.init({
  accumulator: operators(accumulatorOps, ['$accumulator']),
  expression: operators(expressionOps, ['$function']),
  pipeline: { ...operators(pipelineOps, ['$sort', '$sample', '$out', '$merge']), $sort: sortStage as never, $sample: sampleStage as never },
  projection: operators(projectionOps),
  query: operators(queryOps, ['$where', '$jsonSchema']),
  window: operators(windowOps),
});

export type CollectionResolver = (name: string) => Document[];

function options(resolver?: CollectionResolver): Partial<Options> {
  return { context: CONTEXT, scriptEnabled: false, useStrictMode: true, ...(resolver ? { collectionResolver: resolver } : {}) };
}

/** Runs engine code, turning mingo's errors into mongod-shaped command errors. */
export function withEngineErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isMongoCommandError(error)) throw error;
    throw translateEngineError(error);
  }
}

export type Predicate = (doc: Document) => boolean;

export function compileFilter(filter: unknown, where: string): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw new MongoCommandError('TypeMismatch', `${where}: filter must be a document, got ${typeof filter}`);
  if (Object.keys(filter).length === 0) return () => true;
  const query = withEngineErrors(() => new Query(filter, options()));
  return (doc) => withEngineErrors(() => query.test(doc));
}

export function projectDocuments(docs: Document[], projection: unknown, where: string): Document[] {
  if (projection === undefined || projection === null) return docs;
  if (!isPlainObject(projection)) throw new MongoCommandError('TypeMismatch', `${where}: projection must be a document`);
  if (Object.keys(projection).length === 0) return docs;
  // mingo's projection deletes excluded nested fields from its input objects: copy first.
  const copies = docs.map((d) => cloneValue(d));
  return withEngineErrors(() => new Query({}, options()).find(copies, projection).all() as Document[]);
}

/** Runs a pipeline over documents the caller has already copied (mingo may mutate them). */
export function runPipeline(docs: Document[], pipeline: Document[], resolver: CollectionResolver): Document[] {
  return withEngineErrors(() => new Aggregator(pipeline, options(resolver)).run(docs) as Document[]);
}
