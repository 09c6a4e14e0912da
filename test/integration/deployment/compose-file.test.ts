// docker-compose.serving.yml as Debian's docker-compose (v1.29) resolves it, checked against the
// issue and against the code's configuration schema (read at test time, so new keys count).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { configSchema, loadConfig } from '../../../src/config/config.js';
import { parseComposeConfig, hostAndPort, type ComposeModel, type ComposeService } from './lib/compose-model.js';
import { composeConfig, dockerComposeVersion, INSTALL_HINT } from './lib/docker-compose-cli.js';
import { DEPLOYMENT_FILES, REPO_ROOT, readRepoFile } from './lib/repo-files.js';

const SCHEMA_KEYS = new Set(Object.keys(configSchema.shape));
const OUR_SERVICES = ['api', 'publisher'] as const;

const cache = new Map<string, ComposeModel>();

/**
 * `docker-compose config` of these files with this .env, parsed; memoised because each run costs
 * seconds of the shared CPU. Called inside each test (not in a beforeAll) so that a missing
 * docker-compose FAILS every test with the install hint instead of leaving them skipped.
 */
function resolve(files: readonly string[], envFileText: string): ComposeModel {
  const key = JSON.stringify([files, envFileText]);
  const cached = cache.get(key);
  if (cached) return cached;
  if (!dockerComposeVersion()) throw new Error(INSTALL_HINT);
  const run = composeConfig({ files, cwd: REPO_ROOT, envFileText });
  if (run.status !== 0) {
    throw new Error(`docker-compose ${files.map((f) => `-f ${f}`).join(' ')} config exited ${run.status}: ${run.stderr.trim()}`);
  }
  const model = parseComposeConfig(run.stdout);
  cache.set(key, model);
  return model;
}

function serviceOf(model: ComposeModel, name: string): ComposeService {
  const found = model.services[name];
  if (!found) throw new Error(`compose file has no service "${name}" (has: ${Object.keys(model.services).join(', ')})`);
  return found;
}

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

/** The stack as resolved with an empty .env: the compose file's own defaults. */
const stack = (): ComposeModel => resolve([DEPLOYMENT_FILES.compose], '');

describe('docker-compose.serving.yml resolved by docker-compose config', () => {
  // Not a skip: CI installs docker-compose, and a machine without it must say so loudly.
  test('Debian\'s docker-compose is installed and validates the file', () => {
    const version = dockerComposeVersion();
    expect(version, INSTALL_HINT).toBeDefined();
    console.info(`deployment tests use ${version ?? 'no docker-compose'}`);
    expect(Object.keys(stack().services).length).toBeGreaterThan(0);
  });

  test('it declares exactly the services of the issue', () => {
    expect(Object.keys(stack().services).sort()).toEqual(
      ['api', 'metabase', 'minio', 'minio-setup', 'mongo-express', 'mongodb', 'publisher'].sort(),
    );
  });

  test.each([
    ['api', 5000],
    ['metabase', 3000],
    ['mongo-express', 8081],
    ['mongodb', 27017],
    ['minio', 9000],
    ['minio', 9001],
  ])('service %s publishes container port %i on the same host port by default', (name, port) => {
    expect(serviceOf(stack(), name).ports).toContainEqual({ target: port, published: port });
  });

  test('the api starts once MongoDB is healthy', () => {
    expect(serviceOf(stack(), 'api').dependsOn).toEqual({ mongodb: 'service_healthy' });
  });

  test('the publisher starts once the buckets exist and MongoDB is healthy, and runs once', () => {
    const publisher = serviceOf(stack(), 'publisher');
    expect(publisher.dependsOn).toEqual({ 'minio-setup': 'service_completed_successfully', mongodb: 'service_healthy' });
    expect(publisher.restart).toBe('no');
  });

  test('minio-setup waits for a healthy MinIO, creates the four lake buckets with mc and exits', () => {
    const setup = serviceOf(stack(), 'minio-setup');
    expect(setup.image).toMatch(/^minio\/mc(:|$)/);
    expect(setup.dependsOn).toEqual({ minio: 'service_healthy' });
    expect(setup.restart).toBe('no');
    const script = setup.command.join(' ');
    expect(script).toContain('mc mb --ignore-existing');
    for (const bucket of ['sources', 'bronze', 'silver', 'gold']) expect(script).toMatch(new RegExp(`/${bucket}(\\s|$)`));
  });

  test('MongoDB is mongo:7, health-checked with a mongosh ping, on a named volume', () => {
    const mongodb = serviceOf(stack(), 'mongodb');
    expect(mongodb.image).toBe('mongo:7');
    expect(mongodb.healthcheck[0]).toBe('CMD');
    expect(mongodb.healthcheck).toContain('mongosh');
    expect(mongodb.healthcheck.join(' ')).toMatch(/ping/);
    const dataVolume = mongodb.volumes.find((v) => v.split(':')[1] === '/data/db');
    expect(dataVolume?.split(':')[0]).toBeDefined();
    expect(stack().volumes).toContain(dataVolume?.split(':')[0]);
  });

  test('the api is health-checked on /readyz by node, and the one-shot publisher is not', () => {
    const check = serviceOf(stack(), 'api').healthcheck;
    expect(check.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(check).toContain('/readyz');
    expect(serviceOf(stack(), 'publisher').healthcheck).toEqual(['NONE']);
  });

  test('Metabase and MinIO keep their data in named volumes', () => {
    for (const [name, path] of [['metabase', '/metabase-data'], ['minio', '/data']] as const) {
      const volume = serviceOf(stack(), name).volumes.find((v) => v.split(':')[1] === path);
      expect(stack().volumes, `${name} volume at ${path}`).toContain(volume?.split(':')[0]);
    }
    expect(serviceOf(stack(), 'metabase').environment.MB_DB_FILE).toMatch(/^\/metabase-data\//);
  });

  test('mongo-express is only started with the tools profile; every other service starts by default', () => {
    for (const service of Object.values(stack().services)) {
      expect(service.profiles, service.name).toEqual(service.name === 'mongo-express' ? ['tools'] : []);
    }
  });

  test('every service is on the network whose name is elt-network', () => {
    const key = Object.entries(stack().networks).find(([, name]) => name === 'elt-network')?.[0];
    expect(key).toBeDefined();
    for (const service of Object.values(stack().services)) expect(service.networks, service.name).toEqual([key]);
  });

  test('api and publisher run the same image, built from this repository, with the package entry points', () => {
    const api = serviceOf(stack(), 'api');
    const publisher = serviceOf(stack(), 'publisher');
    expect(api.image).toBeDefined();
    expect(publisher.image).toBe(api.image);
    expect(api.buildContext).toBe(REPO_ROOT);
    expect(publisher.buildContext).toBe(REPO_ROOT);
    expect(api.command.join(' ')).toBe(packageJson.scripts.start);
    expect(publisher.command.slice(0, 2)).toEqual(['node', packageJson.bin['publish-gold']]);
    expect(publisher.command.join(' ')).toMatch(/--source (auto|s3|local)\b/);
  });

  test.each(OUR_SERVICES)('every variable passed to %s is a key of the configuration schema', (name) => {
    const unknown = Object.keys(serviceOf(stack(), name).environment).filter((key) => !SCHEMA_KEYS.has(key));
    expect(unknown, `not in configSchema (src/config/config.ts): ${unknown.join(', ')}`).toEqual([]);
  });

  test('the values passed to api and publisher load with the configuration schema and point at the stack', () => {
    const api = loadConfig(serviceOf(stack(), 'api').environment);
    const publisher = loadConfig(serviceOf(stack(), 'publisher').environment);
    expect(serviceOf(stack(), 'api').ports.map((p) => p.target)).toContain(api.PORT);
    const mongoTargets = serviceOf(stack(), 'mongodb').ports.map((p) => p.target);
    for (const config of [api, publisher]) {
      const mongo = hostAndPort(config.MONGO_URI, 27017);
      expect(mongo.host).toBe('mongodb');
      expect(mongoTargets).toContain(mongo.port);
      expect(config.MONGO_DB).toBe('gold_serving');
    }
    const minio = hostAndPort(publisher.MINIO_ENDPOINT, 9000);
    expect(minio.host).toBe('minio');
    expect(serviceOf(stack(), 'minio').ports.map((p) => p.target)).toContain(minio.port);
    expect(publisher.GOLD_BUCKET).toBe('gold');
    // The MinIO root user is the publisher's access key, so the fresh stack works as is.
    expect(serviceOf(stack(), 'minio').environment.MINIO_ROOT_USER).toBe(publisher.MINIO_ACCESS_KEY);
    expect(serviceOf(stack(), 'minio').environment.MINIO_ROOT_PASSWORD).toBe(publisher.MINIO_SECRET_KEY);
  });

  test('api and publisher get the schema defaults, except the stack host names and the mounted data folder', () => {
    // Values compose must differ on: containers reach MongoDB and MinIO by service name, and
    // the local fallback is the read-only mount at /app/data.
    const containerOverrides = new Set(['MONGO_URI', 'MINIO_ENDPOINT', 'LOCAL_GOLD_DIRS']);
    const schemaDefaults = configSchema.parse({});
    for (const name of OUR_SERVICES) {
      const env = serviceOf(stack(), name).environment;
      const parsed = loadConfig(env);
      for (const key of Object.keys(env).filter((k) => SCHEMA_KEYS.has(k) && !containerOverrides.has(k))) {
        const typedKey = key as keyof typeof schemaDefaults;
        expect(parsed[typedKey], `${name}: ${key} differs from the schema default`).toEqual(schemaDefaults[typedKey]);
      }
    }
    expect(serviceOf(stack(), 'publisher').volumes).toContainEqual(expect.stringMatching(/:\/app\/data:ro$/));
    expect(loadConfig(serviceOf(stack(), 'publisher').environment).LOCAL_GOLD_DIRS.every((d) => d.startsWith('/app/data/'))).toBe(true);
  });

  test('the api is given time to drain on stop: stop_grace_period exceeds the shutdown delay and grace', () => {
    const api = serviceOf(stack(), 'api');
    const config = loadConfig(api.environment);
    expect(api.stopGracePeriodMs ?? 10_000).toBeGreaterThan(config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS);
  });

  test('no value is left with an unresolved ${...} interpolation', () => {
    const leftovers = JSON.stringify(stack().services).match(/\$\{[^}]*\}/g) ?? [];
    expect(leftovers).toEqual([]);
  });

  test('.env.example resolves to the same stack as the defaults (it documents them)', () => {
    expect(resolve([DEPLOYMENT_FILES.compose], readRepoFile(DEPLOYMENT_FILES.envExample))).toEqual(stack());
  });

  test('values from .env reach the services: host port, database and MinIO credentials', () => {
    const model = resolve([DEPLOYMENT_FILES.compose], 'PORT=8080\nMONGO_DB=gold_test\nMINIO_ACCESS_KEY=k1\nMINIO_SECRET_KEY=s1\n');
    expect(serviceOf(model, 'api').ports).toContainEqual({ target: 5000, published: 8080 });
    expect(serviceOf(model, 'api').environment.PORT).toBe('5000');
    for (const name of OUR_SERVICES) expect(serviceOf(model, name).environment.MONGO_DB).toBe('gold_test');
    expect(serviceOf(model, 'publisher').environment.MINIO_ACCESS_KEY).toBe('k1');
    expect(serviceOf(model, 'minio').environment.MINIO_ROOT_PASSWORD).toBe('s1');
  });
});

describe('docker/compose.least-privilege.yml over the serving stack', () => {
  const files = [DEPLOYMENT_FILES.compose, DEPLOYMENT_FILES.leastPrivilege];
  const credentials = [
    'MONGO_INITDB_ROOT_USERNAME=root',
    'MONGO_INITDB_ROOT_PASSWORD=rootpw',
    'GOLD_READER_USERNAME=gold_reader',
    'GOLD_READER_PASSWORD=readerpw',
    'GOLD_PUBLISHER_USERNAME=gold_publisher',
    'GOLD_PUBLISHER_PASSWORD=publisherpw',
  ];

  const overlaid = (): ComposeModel => resolve(files, credentials.join('\n'));

  test('the api connects as the read-only user and the publisher as the read-write user', () => {
    const model = overlaid();
    const api = loadConfig(serviceOf(model, 'api').environment);
    const publisher = loadConfig(serviceOf(model, 'publisher').environment);
    expect(api.MONGO_URI).toBe('mongodb://gold_reader:readerpw@mongodb:27017/?authSource=gold_serving');
    expect(publisher.MONGO_URI).toBe('mongodb://gold_publisher:publisherpw@mongodb:27017/?authSource=gold_serving');
    for (const name of OUR_SERVICES) {
      const unknown = Object.keys(serviceOf(model, name).environment).filter((key) => !SCHEMA_KEYS.has(key));
      expect(unknown, name).toEqual([]);
    }
  });

  test('MongoDB receives the root and user credentials its init script reads', () => {
    const env = serviceOf(overlaid(), 'mongodb').environment;
    expect(env).toMatchObject({
      MONGO_INITDB_ROOT_USERNAME: 'root',
      MONGO_INITDB_ROOT_PASSWORD: 'rootpw',
      MONGO_DB: 'gold_serving',
      GOLD_READER_USERNAME: 'gold_reader',
      GOLD_PUBLISHER_USERNAME: 'gold_publisher',
    });
    expect(serviceOf(overlaid(), 'mongodb').volumes).toContainEqual(
      expect.stringMatching(/docker\/mongo-init:\/docker-entrypoint-initdb\.d/),
    );
  });

  // One variable of each pair (root, reader, publisher): every `${X:?...}` works the same way and
  // each docker-compose run costs seconds of the shared CPU.
  test.each(['MONGO_INITDB_ROOT_PASSWORD', 'GOLD_READER_USERNAME', 'GOLD_PUBLISHER_PASSWORD'])(
    'docker-compose refuses the overlay when %s is missing, naming it',
    (missing) => {
      const run = composeConfig({ files, cwd: REPO_ROOT, envFileText: credentials.filter((l) => !l.startsWith(`${missing}=`)).join('\n') });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`set ${missing} in .env`);
    },
  );
});
