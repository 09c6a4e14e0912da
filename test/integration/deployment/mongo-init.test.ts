// docker/mongo-init/10-gold-users.js, run the way the mongo image runs it (a script with global
// `db` and `process.env`), against a tiny recording fake of mongosh's `db`.
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { DEPLOYMENT_FILES, readRepoFile } from './lib/repo-files.js';

interface CreatedUser {
  database: string;
  user: string;
  pwd: string;
  roles: { role: string; db: string }[];
}

const script = readRepoFile(DEPLOYMENT_FILES.mongoInit);

function runInit(env: Record<string, string>): { created: CreatedUser[]; logs: string[] } {
  const created: CreatedUser[] = [];
  const logs: string[] = [];
  const db = {
    getSiblingDB: (database: string) => ({
      createUser: (spec: Omit<CreatedUser, 'database'>) => {
        created.push({ database, ...spec });
        return { ok: 1 };
      },
    }),
  };
  runInNewContext(script, { db, process: { env }, console: { log: (line: string) => logs.push(line) } });
  return { created, logs };
}

const root = { MONGO_INITDB_ROOT_USERNAME: 'root', MONGO_INITDB_ROOT_PASSWORD: 'rootpw' };
const reader = { GOLD_READER_USERNAME: 'gold_reader', GOLD_READER_PASSWORD: 'r' };
const publisher = { GOLD_PUBLISHER_USERNAME: 'gold_publisher', GOLD_PUBLISHER_PASSWORD: 'p' };

describe('mongo init script 10-gold-users.js', () => {
  test('creates a read-only reader and a read-write publisher in MONGO_DB when credentials are configured', () => {
    const { created, logs } = runInit({ ...root, ...reader, ...publisher, MONGO_DB: 'gold_x' });
    expect(created).toEqual([
      { database: 'gold_x', user: 'gold_reader', pwd: 'r', roles: [{ role: 'read', db: 'gold_x' }] },
      { database: 'gold_x', user: 'gold_publisher', pwd: 'p', roles: [{ role: 'readWrite', db: 'gold_x' }] },
    ]);
    expect(logs.join('\n')).toContain('created user "gold_reader" with role read on gold_x');
  });

  test('uses the gold_serving database when MONGO_DB is not set', () => {
    const { created } = runInit({ ...root, ...reader });
    expect(created.map((u) => [u.database, u.roles[0]?.db])).toEqual([['gold_serving', 'gold_serving']]);
  });

  test('creates nobody, and says why, when MongoDB runs without root credentials', () => {
    const { created, logs } = runInit({ ...reader, ...publisher });
    expect(created).toEqual([]);
    expect(logs.join('\n')).toMatch(/skipped, MONGO_INITDB_ROOT_USERNAME is not set/);
  });

  test('creates nobody, and says why, when no gold user is configured', () => {
    const { created, logs } = runInit({ ...root });
    expect(created).toEqual([]);
    expect(logs.join('\n')).toMatch(/skipped, no GOLD_READER_\* or GOLD_PUBLISHER_\* credentials/);
  });

  test('stops with an error naming the pair when a user name comes without its password', () => {
    expect(() => runInit({ ...root, GOLD_READER_USERNAME: 'gold_reader' })).toThrow(
      /GOLD_READER_USERNAME and GOLD_READER_PASSWORD must be set together/,
    );
  });

  test('refuses one user for both roles', () => {
    expect(() => runInit({ ...root, ...reader, GOLD_PUBLISHER_USERNAME: 'gold_reader', GOLD_PUBLISHER_PASSWORD: 'p' })).toThrow(
      /must be different users/,
    );
  });
});
