// Publishes the committed gold fixtures (test/fixtures/gold/{pandas,spark}) into `db` with the
// real publisher, in-process, the local fixture folder being the only source. For integration
// tests of the API and the publisher. Signature kept stable: other suites depend on it.
import path from 'node:path';
import type { Db } from 'mongodb';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { runPublish } from '../../publisher/run.js';
import { FIXTURE_GOLD } from './paths.js';
import type { PublishOptions, PublishSummary } from '../../publisher/types.js';

export type { PublishSummary };

export type FixtureLayout = 'pandas' | 'spark';

export const FIXTURES_DIR = FIXTURE_GOLD;

/** Folder holding the fixture tables of a layout. */
export const fixtureDir = (layout: FixtureLayout): string => path.join(FIXTURES_DIR, layout);

export interface PublishFixturesOptions {
  /** Pandas single files (default) or Spark part-file folders. */
  readonly layout?: FixtureLayout;
  /** Extra publish options (default: force, so every call republishes). */
  readonly publish?: PublishOptions;
}

export async function publishFixtures(db: Db, opts: PublishFixturesOptions = {}): Promise<PublishSummary> {
  const config = loadConfig({ MONGO_DB: db.databaseName, LOCAL_GOLD_DIRS: fixtureDir(opts.layout ?? 'pandas'), LOG_LEVEL: 'silent' });
  return runPublish({ source: 'local', force: true, ...opts.publish }, { db, config, logger: pino({ level: 'silent' }) });
}
