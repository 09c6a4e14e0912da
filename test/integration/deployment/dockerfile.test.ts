// The Dockerfile and .dockerignore: multi-stage, production dependencies only at runtime, non-root,
// node-based HEALTHCHECK, entry points matching package.json, nothing private in the context.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { commandWords, effectiveUser, healthcheckCommand, isRootUser, parseDockerfile, type Stage } from './lib/dockerfile.js';
import { isIgnored, parseDockerignore } from './lib/dockerignore.js';
import { DEPLOYMENT_FILES, REPO_ROOT, readRepoFile } from './lib/repo-files.js';

const { preamble, stages } = parseDockerfile(readRepoFile(DEPLOYMENT_FILES.dockerfile));
const runtime = stages.at(-1) as Stage;
const earlier = stages.slice(0, -1);
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

/** `FROM ${NODE_IMAGE}` resolved with the ARG defaults declared before the first FROM. */
function resolvedBase(stage: Stage): string {
  const args = new Map(
    preamble
      .filter((i) => i.keyword === 'ARG' && i.args.includes('='))
      .map((i) => [i.args.slice(0, i.args.indexOf('=')), i.args.slice(i.args.indexOf('=') + 1)] as const),
  );
  return stage.base.replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? '');
}

describe('Dockerfile', () => {
  test('is multi-stage and the runtime stage copies the compiled dist/ from an earlier stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const copies = only(runtime, 'COPY').map((i) => i.args);
    const names = earlier.map((s) => s.name);
    expect(copies.some((args) => names.some((name) => args.includes(`--from=${name}`)) && /\bdist\b/.test(args))).toBe(true);
  });

  test('compiles with the dev dependencies in the build stage only', () => {
    const build = earlier.find((stage) => runs(stage).some((r) => /npm run build|\btsc\b/.test(r)));
    expect(build, 'a stage before the runtime runs `npm run build`').toBeDefined();
    expect(runs(build as Stage).some((r) => /npm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
  });

  test('installs production dependencies only in the runtime stage (npm ci --omit=dev)', () => {
    const installs = runs(runtime).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/npm ci\b[^&;]*--omit=dev/);
    expect(runs(runtime).some((r) => /npm run build|\btsc\b/.test(r))).toBe(false);
  });

  test('runs as a non-root user', () => {
    const user = effectiveUser(runtime);
    expect(isRootUser(user), `runtime USER is "${user}"`).toBe(false);
  });

  test('has a node-based HEALTHCHECK on /readyz whose script is in the image', () => {
    const checks = only(runtime, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const command = healthcheckCommand(checks[0]?.args ?? '');
    expect(command[0]).toBe('node');
    expect(command.join(' ')).not.toMatch(/\b(curl|wget)\b/);
    expect(command).toContain('/readyz');
    const script = command[1] ?? '';
    expect(existsSync(join(REPO_ROOT, script)), `${script} exists`).toBe(true);
    expect(only(runtime, 'COPY').some((i) => i.args.includes(script))).toBe(true);
  });

  test.each(['openapi.yaml', 'web'])('the runtime stage carries %s, which the compiled API reads from the package root', (path) => {
    expect(existsSync(join(REPO_ROOT, path)), `${path} exists in the repository`).toBe(true);
    const copied = only(runtime, 'COPY')
      .filter((i) => !i.args.includes('--from='))
      .flatMap((i) => commandWords(i.args).filter((w) => !w.startsWith('--')).slice(0, -1));
    expect(copied).toContain(path);
  });

  test('starts the API like `npm start` and exposes its port', () => {
    const cmd = only(runtime, 'CMD').at(-1);
    expect(commandWords(cmd?.args ?? '').join(' ')).toBe(packageJson.scripts.start);
    expect(only(runtime, 'EXPOSE').map((i) => i.args)).toContain('5000');
  });

  test('builds on a Node major version package.json allows, the same for every stage', () => {
    const minimum = Number(/(\d+)/.exec(packageJson.engines.node)?.[1]);
    const majors = stages.map((stage) => Number(/^node:(\d+)[.-]/.exec(resolvedBase(stage))?.[1]));
    for (const major of majors) expect(major).toBeGreaterThanOrEqual(minimum);
    expect(new Set(majors).size).toBe(1);
  });
});

describe('.dockerignore', () => {
  const rules = parseDockerignore(readRepoFile(DEPLOYMENT_FILES.dockerignore));

  test.each(['node_modules', 'node_modules/zod/package.json', 'data', 'data/gold/fact_achats.parquet', 'test', 'test/unit/x.test.ts', '.git', '.git/HEAD', 'dist', '.env', 'mongo-test-server/test/unit/a.test.ts'])(
    'keeps %s out of the build context',
    (path) => {
      expect(isIgnored(rules, path)).toBe(true);
    },
  );

  test('keeps every source the Dockerfile copies or compiles', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src/config/config.ts',
      'src/catalog/gold-catalog.ts',
      // `data` is ignored at the context root only; the API's data-access folder must stay.
      'src/api/data/gold-reader.ts',
      'publisher/cli.ts',
      'mongo-test-server/src/index.ts',
      'openapi.yaml',
      'web/dashboard/index.html',
      DEPLOYMENT_FILES.healthcheck,
    ];
    const copied = stages
      .flatMap((stage) => only(stage, 'COPY'))
      .filter((i) => !i.args.includes('--from='))
      .flatMap((i) => commandWords(i.args).filter((w) => !w.startsWith('--')).slice(0, -1))
      .filter((path) => path !== '.');
    const dropped = [...needed, ...copied].filter((path) => isIgnored(rules, path));
    expect(dropped, `.dockerignore drops what the build needs: ${dropped.join(', ')}`).toEqual([]);
  });
});
