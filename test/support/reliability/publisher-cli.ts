// Runs the real publisher CLI (publisher/cli.ts) as a child process against a MongoDB database
// and local gold folders or the S3 test server, and inspects what it leaves behind.
import type { Db } from 'mongodb';
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { runNode, type NodeRunResult } from './child.js';
import { PUBLISHER_CLI } from './paths.js';

export interface PublishRun {
  readonly mongoUri: string;
  readonly dbName: string;
  readonly localDirs?: readonly string[];
  readonly source?: 'auto' | 's3' | 'local';
  readonly force?: boolean;
  readonly extraArgs?: readonly string[];
  readonly env?: Record<string, string>;
  readonly heapMb?: number;
  readonly killAfterMs?: number;
  readonly killAfterMatch?: { readonly pattern: RegExp; readonly delayMs: number };
  readonly timeoutMs?: number;
}

export async function runPublisher(run: PublishRun): Promise<NodeRunResult> {
  const args = ['--source', run.source ?? 'local', ...(run.force === false ? [] : ['--force']), ...(run.extraArgs ?? [])];
  return runNode(PUBLISHER_CLI, {
    args,
    heapMb: run.heapMb,
    killAfterMs: run.killAfterMs,
    killAfterMatch: run.killAfterMatch,
    timeoutMs: run.timeoutMs ?? 60_000,
    env: {
      MONGO_URI: run.mongoUri,
      MONGO_DB: run.dbName,
      LOCAL_GOLD_DIRS: (run.localDirs ?? []).join(':'),
      // Nothing listens here unless a test overrides it: S3 is never reached by accident.
      MINIO_ENDPOINT: '127.0.0.1:9',
      ...run.env,
    },
  });
}

/** Human summary of a run for assertion messages. */
export function describeRun(r: NodeRunResult): string {
  const tail = (s: string) => s.slice(-1_500);
  return `exit=${r.code} signal=${r.signal} ${Math.round(r.durationMs)} ms\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}

/** Messages of the publisher's pino JSON log lines, in order (needs LOG_LEVEL info or debug). */
export function logMessages(r: NodeRunResult): string[] {
  return `${r.stdout}\n${r.stderr}`.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const msg = (JSON.parse(line) as { msg?: unknown }).msg;
      return typeof msg === 'string' ? [msg] : [];
    } catch {
      return []; // a line cut by the SIGKILL
    }
  });
}

export async function stagingCollections(db: Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return names.filter((n) => n.startsWith(SYSTEM_COLLECTIONS.stagingPrefix));
}

export interface LockState {
  readonly present: boolean;
  readonly expired: boolean;
  readonly doc: Record<string, unknown> | null;
}

export async function lockState(db: Db, now = new Date()): Promise<LockState> {
  const doc = await db.collection<{ _id: string }>(SYSTEM_COLLECTIONS.lock).findOne({ _id: 'publish' });
  if (!doc) return { present: false, expired: false, doc: null };
  const expires = (doc as { expires_at?: unknown }).expires_at;
  const expired = expires instanceof Date && expires.getTime() <= now.getTime();
  return { present: true, expired, doc: doc as Record<string, unknown> };
}

export interface MetaDoc {
  readonly version?: string;
  readonly published_at?: Date;
  readonly tables?: Record<string, { origin?: string; location?: string } | undefined>;
  readonly [key: string]: unknown;
}

export async function currentMeta(db: Db): Promise<MetaDoc | null> {
  return (await db.collection<{ _id: string }>(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' })) as MetaDoc | null;
}
