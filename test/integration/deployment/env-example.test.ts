// .env.example against the configuration schema (keys read at test time) and the compose files.
import { describe, expect, test } from 'vitest';
import { configSchema, loadConfig } from '../../../src/config/config.js';
import { composeVariables, parseEnvExample } from './lib/env-file.js';
import { DEPLOYMENT_FILES, readRepoFile } from './lib/repo-files.js';

const schemaKeys = Object.keys(configSchema.shape);
const entries = parseEnvExample(readRepoFile(DEPLOYMENT_FILES.envExample));
const documented = new Set(entries.map((e) => e.name));
const composeNames = new Set([
  ...composeVariables(readRepoFile(DEPLOYMENT_FILES.compose)),
  ...composeVariables(readRepoFile(DEPLOYMENT_FILES.leastPrivilege)),
]);

/** A key "without a default": the schema rejects it when absent. */
function isRequired(key: string): boolean {
  const field = configSchema.shape[key as keyof typeof configSchema.shape];
  return !field.safeParse(undefined).success;
}

describe('.env.example', () => {
  test('documents every key of the configuration schema', () => {
    const missing = schemaKeys.filter((key) => !documented.has(key));
    expect(missing, `add to .env.example: ${missing.join(', ')}`).toEqual([]);
  });

  test('sets every schema key that has no default (uncommented)', () => {
    const active = new Set(entries.filter((e) => e.active).map((e) => e.name));
    const unset = schemaKeys.filter((key) => isRequired(key) && !active.has(key));
    expect(unset, `required by src/config/config.ts but commented out or absent: ${unset.join(', ')}`).toEqual([]);
  });

  test('documents every variable the compose files interpolate', () => {
    const missing = [...composeNames].filter((name) => !documented.has(name));
    expect(missing, `used by a compose file, absent from .env.example: ${missing.join(', ')}`).toEqual([]);
  });

  test('holds nothing that neither the schema nor a compose file reads', () => {
    const schema = new Set(schemaKeys);
    const stale = [...documented].filter((name) => !schema.has(name) && !composeNames.has(name));
    expect(stale, `stale names in .env.example: ${stale.join(', ')}`).toEqual([]);
  });

  test('names each variable once', () => {
    const names = entries.map((e) => e.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  test('its values load with the configuration schema', () => {
    const env = Object.fromEntries(entries.filter((e) => e.active && schemaKeys.includes(e.name)).map((e) => [e.name, e.value]));
    const config = loadConfig(env);
    expect(config.MONGO_DB).toBe('gold_serving');
    expect(config.PORT).toBe(5000);
  });

  test('its values are the schema defaults, except the host names of the compose stack', () => {
    const stackHosts = new Set(['MONGO_URI', 'MINIO_ENDPOINT']);
    const defaults = configSchema.parse({});
    const parsed = loadConfig(Object.fromEntries(entries.filter((e) => e.active).map((e) => [e.name, e.value])));
    for (const key of schemaKeys.filter((k) => !stackHosts.has(k) && documented.has(k))) {
      const typedKey = key as keyof typeof defaults;
      expect(parsed[typedKey], `${key} in .env.example differs from src/config/config.ts`).toEqual(defaults[typedKey]);
    }
    expect(parsed.MONGO_URI).toBe('mongodb://mongodb:27017');
    expect(parsed.MINIO_ENDPOINT).toBe('minio:9000');
  });

  test('documents the least-privilege credentials without enabling them', () => {
    for (const name of ['MONGO_INITDB_ROOT_USERNAME', 'GOLD_READER_USERNAME', 'GOLD_PUBLISHER_PASSWORD']) {
      expect(entries.find((e) => e.name === name)?.active, name).toBe(false);
    }
  });
});
