// The API's served copies: each publish writes its own copy of every collection the API reads,
// listed in the meta document, so one meta write switches all endpoints at once. A publish
// killed during the rename swap therefore leaves the API on one complete publish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_COLLECTIONS, apiCollections } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { snapshot } from './gold-inputs.js';

let t: TestDb;
beforeAll(async () => {
  t = await connectTestDb('publisher-served');
});
afterAll(async () => {
  await t?.cleanup();
});

interface Meta {
  served_tag: string;
  served: Record<string, string>;
  previous_served_tags?: string[];
}
const meta = async () => (await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never })) as unknown as Meta;
const servedCopies = async () =>
  (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith(SYSTEM_COLLECTIONS.servedPrefix)).sort();

describe('the served copies the API reads', () => {
  it('lists a copy of every collection the API reads, with the same documents as the canonical one', async () => {
    await publishFixtures(t.db);
    const m = await meta();
    expect(Object.keys(m.served).sort()).toEqual(apiCollections().sort());
    for (const [canonical, copy] of Object.entries(m.served)) {
      expect(copy).toBe(`${SYSTEM_COLLECTIONS.servedPrefix}${m.served_tag}__${canonical}`);
      expect(await snapshot(t.db, copy, true), canonical).toEqual(await snapshot(t.db, canonical, true));
    }
  });

  it('keeps the copies of the two publishes before for readers still on them, and drops older ones on the next run', async () => {
    const tagsNow = async () => [...new Set((await servedCopies()).map((n) => n.slice(SYSTEM_COLLECTIONS.servedPrefix.length).split('__')[0]))].sort();
    const first = (await meta()).served_tag;
    await publishFixtures(t.db, { layout: 'spark' });
    const second = (await meta()).served_tag;
    expect(second).not.toBe(first);
    expect(await tagsNow()).toEqual([first, second].sort());

    // An API process that checked the version just before the second publish still reads the
    // first one's copies when the third run starts: they must survive it.
    await publishFixtures(t.db);
    const third = (await meta()).served_tag;
    expect(await tagsNow()).toEqual([first, second, third].sort());
    expect((await meta()).previous_served_tags).toEqual([second]);

    await publishFixtures(t.db, { layout: 'spark' });
    const fourth = (await meta()).served_tag;
    expect(await tagsNow()).toEqual([second, third, fourth].sort());
  });

  it('drops the copies of a run that left them behind without publishing', async () => {
    const orphan = `${SYSTEM_COLLECTIONS.servedPrefix}deadbeef__${apiCollections()[0]}`;
    await t.db.collection(orphan).insertOne({ _id: 1 as never });
    await publishFixtures(t.db);
    expect(await servedCopies()).not.toContain(orphan);
  });
});
