// Index metadata plus, for unique indexes, the hash map that enforces uniqueness.
import type { Document } from 'bson';
import { formatDocument, keyOf, valueAtPath } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';

export interface IndexDefinition {
  name: string;
  key: Document;
  unique: boolean;
  sparse: boolean;
  /** Other options given at creation (returned by listIndexes). */
  options: Document;
  /** partialFilterExpression, compiled: documents it rejects are not indexed. */
  partialFilter?: (doc: Document) => boolean;
}

export class IndexState {
  readonly fields: string[];
  /** unique index key → canonical _id key of the owning document. */
  private readonly owners = new Map<string, string>();

  constructor(readonly definition: IndexDefinition) {
    this.fields = Object.keys(definition.key);
  }

  /** Index key of a document, or undefined when a sparse index skips it. */
  keyFor(doc: Document): string | undefined {
    if (this.definition.partialFilter && !this.definition.partialFilter(doc)) return undefined;
    if (this.fields.length === 1) {
      const value = valueAtPath(doc, this.fields[0] as string);
      if (value === undefined && this.definition.sparse) return undefined;
      return keyOf(value);
    }
    const values = this.fields.map((f) => valueAtPath(doc, f));
    if (this.definition.sparse && values.every((v) => v === undefined)) return undefined;
    return JSON.stringify(values.map(keyOf));
  }

  keyValue(doc: Document): Document {
    const out: Document = {};
    for (const f of this.fields) out[f] = valueAtPath(doc, f) ?? null;
    return out;
  }

  /** Throws E11000 if `doc` would collide with a document other than `selfId`. */
  check(doc: Document, selfId: string, ns: string): void {
    if (!this.definition.unique) return;
    const key = this.keyFor(doc);
    if (key === undefined) return;
    const owner = this.owners.get(key);
    if (owner !== undefined && owner !== selfId) throw this.duplicateError(doc, ns);
  }

  add(doc: Document, id: string): void {
    if (!this.definition.unique) return;
    const key = this.keyFor(doc);
    if (key !== undefined) this.owners.set(key, id);
  }

  remove(doc: Document, id: string): void {
    if (!this.definition.unique) return;
    const key = this.keyFor(doc);
    if (key !== undefined && this.owners.get(key) === id) this.owners.delete(key);
  }

  duplicateError(doc: Document, ns: string): MongoCommandError {
    const keyValue = this.keyValue(doc);
    return new MongoCommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.definition.name} dup key: ${formatDocument(keyValue)}`,
      { keyPattern: { ...this.definition.key }, keyValue },
    );
  }
}

export function sameKeyPattern(a: Document, b: Document): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && Number(a[k]) === Number(b[k]));
}

/** The conventional generated name: { a: 1, b: -1 } → "a_1_b_-1". */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}
