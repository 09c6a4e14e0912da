// The publish lock: one document `{ _id: 'publish', owner, host, pid, acquired_at, expires_at }`
// in SYSTEM_COLLECTIONS.lock. Acquired by insertOne (the _id makes it exclusive); a lock whose
// expiry has passed — or whose owner was a process on this host that no longer exists (a
// SIGKILLed publisher) — is taken over with a conditional update. The holder renews the expiry
// periodically, so a long publish keeps it while a dead one loses it after `ttlMs`.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { SYSTEM_COLLECTIONS } from '../../src/catalog/gold-catalog.js';
import { AppError } from '../../src/errors/app-error.js';
import { PUBLISH_ERRORS } from '../errors.js';

export const LOCK_ID = 'publish';
export const DEFAULT_LOCK_TTL_MS = 120_000;

interface LockDocument {
  _id: string;
  owner: string;
  host: string;
  pid: number;
  acquired_at: Date;
  expires_at: Date;
}

export interface PublishLock {
  readonly owner: string;
  /** Throws LOCK_LOST if another publisher took the lock since the last renewal. */
  assertHeld(): void;
  release(): Promise<void>;
}

export interface LockOptions {
  readonly ttlMs?: number;
  /** Injected for tests: is `pid` a live process on this host? */
  readonly isAlive?: (pid: number) => boolean;
  readonly now?: () => Date;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(db: Db, options: LockOptions = {}): Promise<PublishLock> {
  const ttl = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const now = options.now ?? (() => new Date());
  const isAlive = options.isAlive ?? processAlive;
  const coll = db.collection<LockDocument>(SYSTEM_COLLECTIONS.lock);
  const host = hostname();
  const owner = `${host}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const fresh = (): LockDocument => {
    const t = now();
    return { _id: LOCK_ID, owner, host, pid: process.pid, acquired_at: t, expires_at: new Date(t.getTime() + ttl) };
  };

  let acquired = false;
  try {
    await coll.insertOne(fresh());
    acquired = true;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  if (!acquired) {
    const current = await coll.findOne({ _id: LOCK_ID });
    const stale = !current || current.expires_at.getTime() <= now().getTime() || (current.host === host && current.pid !== process.pid && !isAlive(current.pid));
    if (stale && current) {
      // Conditional on the owner we saw: two publishers racing for a stale lock, one wins.
      const r = await coll.replaceOne({ _id: LOCK_ID, owner: current.owner }, fresh());
      acquired = r.modifiedCount === 1;
    } else if (!current) {
      try {
        await coll.insertOne(fresh());
        acquired = true;
      } catch {
        acquired = false;
      }
    }
    if (!acquired) {
      const holder = current ?? (await coll.findOne({ _id: LOCK_ID }));
      throw new AppError(
        PUBLISH_ERRORS.LOCK_HELD,
        `lock: another publisher is running (owner ${holder?.owner ?? 'unknown'}, since ${holder?.acquired_at.toISOString() ?? '?'}, lock expires ${holder?.expires_at.toISOString() ?? '?'}); try again later`,
        { status: 409, details: { owner: holder?.owner, acquired_at: holder?.acquired_at, expires_at: holder?.expires_at } },
      );
    }
  }

  let lost = false;
  const renew = async (): Promise<void> => {
    const r = await coll.updateOne({ _id: LOCK_ID, owner }, { $set: { expires_at: new Date(now().getTime() + ttl) } });
    if (r.matchedCount === 0) lost = true;
  };
  const timer = setInterval(() => {
    renew().catch(() => undefined);
  }, Math.max(50, Math.floor(ttl / 3)));
  timer.unref();

  return {
    owner,
    assertHeld() {
      if (lost) throw new AppError(PUBLISH_ERRORS.LOCK_LOST, `lock: the publish lock ${owner} expired and was taken by another publisher; aborting before the swap`, { status: 409 });
    },
    async release() {
      clearInterval(timer);
      await coll.deleteOne({ _id: LOCK_ID, owner });
    },
  };
}

/**
 * Releases the lock if this process holds it (same host and pid), whatever run took it: for the
 * CLI's SIGTERM/SIGINT handler, which interrupts a run from outside. Without it an interrupted
 * publish kept the lock until its expiry (2 minutes), and a publisher in another container (another
 * host name, so no dead-pid takeover) failed with LOCK_HELD meanwhile (found by an audit).
 * Resolves true when a lock was released.
 */
export async function releaseOwnLock(db: Db): Promise<boolean> {
  const r = await db.collection<LockDocument>(SYSTEM_COLLECTIONS.lock).deleteOne({ _id: LOCK_ID, host: hostname(), pid: process.pid });
  return r.deletedCount === 1;
}
