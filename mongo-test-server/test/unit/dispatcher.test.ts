import { describe, expect, it } from 'vitest';
import type { Document } from 'bson';
import { CursorManager } from '../../src/commands/cursor-manager.js';
import { runCommand } from '../../src/commands/dispatcher.js';
import { FailPoints } from '../../src/commands/fail-points.js';
import { MemoryStore } from '../../src/store/memory-store.js';

function harness() {
  const store = new MemoryStore();
  const context = { store, cursors: new CursorManager(), failPoints: new FailPoints(), db: 'unit', server: { connectionId: 1, startedAt: Date.now(), connectionCount: () => 1, totalConnections: () => 1 } };
  return { store, run: (command: Document) => runCommand(command, context) };
}

describe('runCommand', () => {
  it('answers unknown commands with CommandNotFound', () => {
    expect(harness().run({ frob: 1 })).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
  });

  it('refuses transactions and ignores plain session fields', () => {
    const { run } = harness();
    expect(run({ find: 'c', startTransaction: true, autocommit: false, txnNumber: 1 })).toMatchObject({ ok: 0, code: 20, codeName: 'IllegalOperation' });
    expect(run({ find: 'c', lsid: { id: 'x' }, $db: 'unit', $readPreference: { mode: 'primary' } })).toMatchObject({ ok: 1 });
  });

  it('shapes E11000 write errors like mongod', () => {
    const { run } = harness();
    run({ createIndexes: 'c', indexes: [{ key: { k: 1 }, name: 'k_1', unique: true }] });
    const reply = run({ insert: 'c', documents: [{ k: 'a' }, { k: 'a' }], ordered: false });
    expect(reply).toMatchObject({ n: 1, ok: 1 });
    expect(reply.writeErrors).toEqual([{ index: 1, code: 11000, errmsg: 'E11000 duplicate key error collection: unit.c index: k_1 dup key: { k: "a" }', keyPattern: { k: 1 }, keyValue: { k: 'a' } }]);
  });

  it('answers hello without topologyVersion and echoes helloOk', () => {
    const reply = harness().run({ hello: 1, helloOk: true });
    expect(reply).toMatchObject({ isWritablePrimary: true, helloOk: true, maxWireVersion: 21, minWireVersion: 0, maxWriteBatchSize: 100000 });
    expect(reply).not.toHaveProperty('topologyVersion');
  });

  it('stores inserted documents and never hands out their stored objects for mutation by pipelines', () => {
    const { run, store } = harness();
    run({ insert: 'c', documents: [{ _id: 1, tags: ['a', 'b'], n: { a: 1 } }] });
    const reply = run({ aggregate: 'c', pipeline: [{ $set: { 'n.a': 2 } }, { $unwind: '$tags' }], cursor: {} });
    expect(reply.cursor.firstBatch).toEqual([{ _id: 1, tags: 'a', n: { a: 2 } }, { _id: 1, tags: 'b', n: { a: 2 } }]);
    expect(store.get('unit', 'c')?.getById(1)).toEqual({ _id: 1, tags: ['a', 'b'], n: { a: 1 } });
  });

  it('keeps the target visible through renameCollection with dropTarget', () => {
    const { run, store } = harness();
    run({ insert: 'old', documents: [{ v: 'old' }] });
    run({ insert: 'new', documents: [{ v: 'new' }] });
    expect(run({ renameCollection: 'unit.new', to: 'unit.old', dropTarget: true })).toEqual({ ok: 1 });
    expect(store.get('unit', 'old')?.values().map((d) => d.v)).toEqual(['new']);
    expect(store.get('unit', 'new')).toBeUndefined();
  });
});
