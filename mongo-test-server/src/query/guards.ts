// Refuses requests that mingo would answer wrongly instead of silently returning bad data:
// Long/Decimal128 literals in filters/pipelines, and filters/pipelines/updates that touch
// fields holding Long/Decimal128 values (mingo mis-sums and mis-compares them against
// numbers). Also whitelists aggregation stages.
import type { Document } from 'bson';
import { containsWideNumeric, isPlainObject } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';

export const SUPPORTED_STAGES: ReadonlySet<string> = new Set([
  '$match', '$group', '$sort', '$project', '$addFields', '$set', '$unset', '$limit', '$skip',
  '$unwind', '$count', '$facet', '$bucket', '$bucketAuto', '$lookup', '$sample', '$replaceRoot',
  '$replaceWith', '$sortByCount', '$unionWith', '$graphLookup', '$redact', '$documents',
]);

/** Stages refused on purpose, with the reason given to the client. */
const REFUSED_STAGES: Readonly<Record<string, string>> = {
  $out: 'writing aggregation results ($out) is not supported by mongo-test-server',
  $merge: 'writing aggregation results ($merge) is not supported by mongo-test-server',
  // mingo implements it with server-side script functions and its own comparator.
  $setWindowFields: '$setWindowFields is not supported by mongo-test-server',
};

export function assertNoWideLiterals(value: unknown, where: string): void {
  if (containsWideNumeric(value)) {
    throw new MongoCommandError(
      'BadValue',
      `mongo-test-server: ${where} contains an Int64/Decimal128 literal; its query engine cannot compare or sum those exactly, so the request is refused rather than answered wrongly`,
    );
  }
}

/** Root field names a query filter reads (`a.b` → `a`), including inside $and/$or/$nor/$expr. */
export function filterRoots(filter: unknown, out = new Set<string>()): Set<string> {
  if (!isPlainObject(filter)) return out;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (Array.isArray(value)) for (const sub of value) filterRoots(sub, out);
    } else if (key === '$expr') {
      expressionRoots(value, out);
    } else if (!key.startsWith('$')) {
      out.add(key.split('.')[0] as string);
    }
  }
  return out;
}

/** Root field names referenced as `"$field.path"` anywhere inside an expression/pipeline. */
export function expressionRoots(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.startsWith('$$ROOT.') || value.startsWith('$$CURRENT.')) out.add(value.split('.')[1] as string);
    else if (value.startsWith('$') && !value.startsWith('$$')) out.add(value.slice(1).split('.')[0] as string);
  } else if (Array.isArray(value)) {
    for (const v of value) expressionRoots(v, out);
  } else if (isPlainObject(value)) {
    for (const v of Object.values(value)) expressionRoots(v, out);
  }
  return out;
}

/** Fields a pipeline reads from its input documents (conservative over-approximation). */
export function pipelineRoots(pipeline: readonly Document[]): Set<string> {
  const out = new Set<string>();
  for (const stage of pipeline) {
    for (const [name, spec] of Object.entries(stage)) {
      if (name === '$match') filterRoots(spec, out);
      if (name === '$sort') continue; // our own comparator orders Long/Decimal128 correctly
      if (name === '$lookup' && isPlainObject(spec) && typeof spec.localField === 'string') out.add(spec.localField.split('.')[0] as string);
      if (name === '$facet' && isPlainObject(spec)) {
        for (const sub of Object.values(spec)) if (Array.isArray(sub)) for (const r of pipelineRoots(sub as Document[])) out.add(r);
      }
      expressionRoots(spec, out);
    }
  }
  return out;
}

/** Throws when any referenced field holds Long/Decimal128 values in the collection. */
export function assertNotTouchingWide(roots: Iterable<string>, wideFields: ReadonlySet<string>, ns: string, where: string): void {
  if (wideFields.size === 0) return;
  for (const root of roots) {
    if (wideFields.has(root)) {
      throw new MongoCommandError(
        'BadValue',
        `mongo-test-server: ${where} on ${ns} reads field '${root}', which holds Int64/Decimal128 values; its query engine cannot compare or sum those exactly, so the request is refused rather than answered wrongly`,
      );
    }
  }
}

/** Validates stage names (recursively through $facet/$lookup/$unionWith sub-pipelines). */
export function assertSupportedStages(pipeline: unknown, where: string): asserts pipeline is Document[] {
  if (!Array.isArray(pipeline)) throw new MongoCommandError('TypeMismatch', `${where}: 'pipeline' must be an array`);
  pipeline.forEach((stage: unknown, i) => {
    if (!isPlainObject(stage)) throw new MongoCommandError('TypeMismatch', `${where}: pipeline stage ${i} must be a document`);
    const names = Object.keys(stage);
    if (names.length !== 1) {
      throw new MongoCommandError('Location40323', `A pipeline stage specification object must contain exactly one field (stage ${i} of ${where} has ${names.length})`);
    }
    const name = names[0] as string;
    const refused = REFUSED_STAGES[name];
    if (refused) throw new MongoCommandError('Location40324', `${refused} (stage ${i} of ${where})`);
    if (!SUPPORTED_STAGES.has(name)) {
      throw new MongoCommandError('Location40324', `Unrecognized pipeline stage name: '${name}' (stage ${i} of ${where}; mongo-test-server supports ${[...SUPPORTED_STAGES].join(' ')})`);
    }
    const spec: unknown = stage[name];
    if (name === '$facet' && isPlainObject(spec)) {
      for (const [facet, sub] of Object.entries(spec)) assertSupportedStages(sub, `${where} $facet.${facet}`);
    }
    if ((name === '$lookup' || name === '$unionWith') && isPlainObject(spec) && spec.pipeline !== undefined) {
      assertSupportedStages(spec.pipeline, `${where} ${name}.pipeline`);
    }
  });
}

/** Update operators whose arithmetic/comparison mingo would get wrong on Long/Decimal128. */
const ARITHMETIC_UPDATE_OPS = ['$inc', '$mul', '$min', '$max', '$bit'];

export function assertSafeUpdate(update: unknown, wideFields: ReadonlySet<string>, ns: string): void {
  if (!isPlainObject(update)) return;
  for (const op of ARITHMETIC_UPDATE_OPS) {
    const spec = update[op];
    if (!isPlainObject(spec)) continue;
    assertNoWideLiterals(spec, `update ${op}`);
    assertNotTouchingWide(Object.keys(spec).map((k) => k.split('.')[0] as string), wideFields, ns, `update ${op}`);
  }
}
