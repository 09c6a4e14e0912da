// Vitest global setup for the integration project: starts the wire-compatible MongoDB test
// server (unless MONGO_URL points at a real MongoDB) and the S3 test server, once per run.
import type { TestProject } from 'vitest/node';
import { startMongoTestServer } from '../mongo-test-server/src/index.js';
import { startS3TestServer, type S3TestServerInfo } from './support/s3-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
    mongoIsReal: boolean;
    s3: S3TestServerInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const realMongo = process.env.MONGO_URL;
  if (realMongo) {
    project.provide('mongoUrl', realMongo);
    project.provide('mongoIsReal', true);
  } else {
    const mongo = await startMongoTestServer({ port: 0 });
    stops.push(() => mongo.stop());
    project.provide('mongoUrl', mongo.uri);
    project.provide('mongoIsReal', false);
  }
  const s3 = await startS3TestServer();
  stops.push(() => s3.stop());
  project.provide('s3', s3.info);
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
