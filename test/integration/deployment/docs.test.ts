// The deployment documents against the catalog and the configuration schema they describe.
import { describe, expect, test } from 'vitest';
import { DATASETS, KPI_DOCUMENT, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { configSchema } from '../../../src/config/config.js';
import { DEPLOYMENT_FILES, readRepoFile } from './lib/repo-files.js';

describe('docs/metabase.md', () => {
  const doc = readRepoFile(DEPLOYMENT_FILES.metabaseDoc);

  test('names every collection the publisher writes, and the publish metadata', () => {
    const names = [...DATASETS.map((d) => d.collection), KPI_DOCUMENT.collection, SYSTEM_COLLECTIONS.meta];
    const missing = names.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing, `collections absent from docs/metabase.md: ${missing.join(', ')}`).toEqual([]);
  });

  test('gives the connection: host mongodb, port 27017 and the default database', () => {
    const database = configSchema.shape.MONGO_DB.parse(undefined);
    expect(doc).toContain('`mongodb`');
    expect(doc).toContain('`27017`');
    expect(doc).toContain(`\`${database}\``);
  });
});

describe('docs/deployment.md', () => {
  const doc = readRepoFile(DEPLOYMENT_FILES.deploymentDoc);

  test('shows how to start the stack alone, with the tools profile and with least privilege', () => {
    expect(doc).toContain('docker compose -f docker-compose.serving.yml up -d');
    expect(doc).toContain('--profile tools');
    expect(doc).toContain(DEPLOYMENT_FILES.leastPrivilege);
  });
});
