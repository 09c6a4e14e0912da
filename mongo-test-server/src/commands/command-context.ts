// What every command handler receives, plus argument-parsing helpers that produce
// mongod-shaped errors naming the command and field.
import { Long } from 'bson';
import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { MongoCommandError } from '../errors.js';
import type { MemoryStore } from '../store/memory-store.js';
import type { CursorManager } from './cursor-manager.js';
import type { FailPoints } from './fail-points.js';

export interface ServerInfo {
  connectionId: number;
  startedAt: number;
  /** Open connections right now (serverStatus). */
  connectionCount(): number;
  totalConnections(): number;
}

export interface CommandContext {
  store: MemoryStore;
  cursors: CursorManager;
  failPoints: FailPoints;
  /** The `$db` the command targets. */
  db: string;
  server: ServerInfo;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document;

/** The collection name a command names in its first field (e.g. `{ find: 'orders' }`). */
export function collectionArg(command: Document, name: string): string {
  const value: unknown = command[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new MongoCommandError('InvalidNamespace', `${name}: collection name has invalid type ${typeof value} or is empty`);
  }
  return value;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Optional non-negative integer argument (skip, limit, batchSize, maxTimeMS...). */
export function optionalCount(command: Document, field: string, commandName: string): number | undefined {
  const raw: unknown = command[field];
  if (raw === undefined || raw === null) return undefined;
  const value = toNumber(raw);
  if (value === undefined || !Number.isFinite(value)) {
    throw new MongoCommandError('TypeMismatch', `BSON field '${commandName}.${field}' is the wrong type '${typeof raw}', expected a number`);
  }
  if (value < 0) throw new MongoCommandError('BadValue', `${commandName}.${field} must be non-negative, got ${value}`);
  return Math.trunc(value);
}

export function optionalDocument(command: Document, field: string, commandName: string): Document | undefined {
  const raw: unknown = command[field];
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    throw new MongoCommandError('TypeMismatch', `BSON field '${commandName}.${field}' is the wrong type '${Array.isArray(raw) ? 'array' : typeof raw}', expected type 'object'`);
  }
  return raw;
}

export function optionalBoolean(command: Document, field: string): boolean {
  const raw: unknown = command[field];
  return raw === true || (typeof raw === 'number' && raw !== 0);
}

export function requireArray(command: Document, field: string, commandName: string): unknown[] {
  const raw: unknown = command[field];
  if (!Array.isArray(raw)) {
    throw new MongoCommandError('TypeMismatch', `BSON field '${commandName}.${field}' is missing or the wrong type '${typeof raw}', expected type 'array'`);
  }
  return raw;
}

/**
 * The command's `maxTimeMS` (0 or absent: no limit) as a check to call once the work is done:
 * it throws MaxTimeMSExpired (50) when the command took longer, as mongod does (mongod checks as
 * it goes; here the work is one synchronous step, so the check comes at its end).
 */
export function timeLimit(command: Document, commandName: string, now: () => number = () => performance.now()): () => void {
  const limit = optionalCount(command, 'maxTimeMS', commandName);
  if (!limit) return () => undefined;
  const started = now();
  return () => {
    if (now() - started > limit) throw new MongoCommandError('MaxTimeMSExpired', 'operation exceeded time limit');
  };
}
