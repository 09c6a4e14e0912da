// Global setup for mongo-test-server/vitest.config.ts: the Mongo half of test/global-setup.ts
// (no S3), providing the same `mongoUrl`/`mongoIsReal` values.
import type { TestProject } from 'vitest/node';
import { startMongoTestServer } from '../src/index.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const realMongo = process.env.MONGO_URL;
  if (realMongo) {
    project.provide('mongoUrl', realMongo);
    project.provide('mongoIsReal', true);
    return async () => {};
  }
  const mongo = await startMongoTestServer({ port: 0 });
  project.provide('mongoUrl', mongo.uri);
  project.provide('mongoIsReal', false);
  return () => mongo.stop();
}
