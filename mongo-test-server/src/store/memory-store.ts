// The in-memory data of a test server: databases → collections. It outlives a server
// instance, so a server can be stopped and another started over the same store.
import type { Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { CollectionData, ID_INDEX_NAME } from './collection-data.js';

const INVALID_DB_CHARS = /[/\\. "$\0]/;

export function validateDbName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 63 || INVALID_DB_CHARS.test(name)) {
    throw new MongoCommandError('InvalidNamespace', `Invalid database name: '${String(name)}'`);
  }
  return name;
}

export function validateCollectionName(db: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new MongoCommandError('InvalidNamespace', `Invalid collection name: '${db}.${String(name)}'`);
  }
  return name;
}

export class MemoryStore {
  private readonly databases = new Map<string, Map<string, CollectionData>>();

  databaseNames(): string[] {
    return Array.from(this.databases.keys()).filter((name) => (this.databases.get(name)?.size ?? 0) > 0);
  }

  collectionNames(db: string): string[] {
    return Array.from(this.databases.get(db)?.keys() ?? []);
  }

  get(db: string, name: string): CollectionData | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created implicitly (as inserts and createIndexes do in MongoDB). */
  getOrCreate(db: string, name: string): { collection: CollectionData; created: boolean } {
    const existing = this.get(db, name);
    if (existing) return { collection: existing, created: false };
    return { collection: this.create(db, name), created: true };
  }

  create(db: string, name: string, options: Document = {}): CollectionData {
    validateDbName(db);
    validateCollectionName(db, name);
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      this.databases.set(db, collections);
    }
    if (collections.has(name)) throw new MongoCommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    const collection = new CollectionData(options);
    collection.addIndex({ name: ID_INDEX_NAME, key: { _id: 1 }, unique: false, sparse: false, options: {} }, `${db}.${name}`);
    collections.set(name, collection);
    return collection;
  }

  drop(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    if (!collections?.delete(name)) return false;
    if (collections.size === 0) this.databases.delete(db);
    return true;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
  }

  /**
   * Moves a collection in one synchronous step: with dropTarget the target is replaced in
   * the same map assignment, so no reader can observe the target missing.
   */
  rename(fromDb: string, fromName: string, toDb: string, toName: string, dropTarget: boolean): void {
    const source = this.get(fromDb, fromName);
    if (!source) throw new MongoCommandError('NamespaceNotFound', `Source collection ${fromDb}.${fromName} does not exist`);
    validateDbName(toDb);
    validateCollectionName(toDb, toName);
    if (fromDb === toDb && fromName === toName) {
      throw new MongoCommandError('IllegalOperation', `Can't rename a collection to itself (${fromDb}.${fromName})`);
    }
    if (this.get(toDb, toName) && !dropTarget) {
      throw new MongoCommandError('NamespaceExists', `target namespace exists: ${toDb}.${toName}`);
    }
    let target = this.databases.get(toDb);
    if (!target) {
      target = new Map();
      this.databases.set(toDb, target);
    }
    target.set(toName, source);
    const from = this.databases.get(fromDb);
    from?.delete(fromName);
    if (from && from.size === 0) this.databases.delete(fromDb);
  }

  /** Approximate bytes of a database's documents (for listDatabases/dbStats). */
  approximateSize(db: string): number {
    let total = 0;
    for (const collection of this.databases.get(db)?.values() ?? []) total += collection.size * 64;
    return total;
  }
}
