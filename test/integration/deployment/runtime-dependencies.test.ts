// The runtime image installs `dependencies` only (npm ci --omit=dev): every package the API and
// the publisher import at run time must be a production dependency, or the container fails at
// start-up with ERR_MODULE_NOT_FOUND although every test passes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runtimePackages } from './lib/imports.js';
import { REPO_ROOT } from './lib/repo-files.js';

/** Folders compiled into the image whose code runs in production: the API and the publisher. */
const RUNTIME_FOLDERS = ['src', 'publisher'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

describe('runtime dependencies of the image', () => {
  test('the API and the publisher import only production dependencies', () => {
    const production = new Set(Object.keys(packageJson.dependencies));
    const offenders: string[] = [];
    let files = 0;
    for (const folder of RUNTIME_FOLDERS) {
      for (const file of sourceFiles(join(REPO_ROOT, folder))) {
        files += 1;
        for (const name of runtimePackages(readFileSync(file, 'utf8'))) {
          if (!production.has(name)) offenders.push(`${relative(REPO_ROOT, file)} imports ${name}`);
        }
      }
    }
    expect(files, 'source files scanned').toBeGreaterThan(10);
    expect(offenders, `not in package.json "dependencies" (npm ci --omit=dev drops them):\n${offenders.join('\n')}`).toEqual([]);
  });
});
