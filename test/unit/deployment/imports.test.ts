import { describe, expect, test } from 'vitest';
import { packageOf, runtimePackages } from '../../integration/deployment/lib/imports.js';

describe('packageOf', () => {
  test('names the package of bare specifiers, scoped ones included', () => {
    expect(packageOf('zod')).toBe('zod');
    expect(packageOf('hyparquet/src/x.js')).toBe('hyparquet');
    expect(packageOf('@aws-sdk/client-s3')).toBe('@aws-sdk/client-s3');
  });

  test('ignores relative paths and Node built-ins', () => {
    expect([packageOf('./a.js'), packageOf('../b.js'), packageOf('node:fs'), packageOf('fs'), packageOf('fs/promises')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('runtimePackages', () => {
  test('collects value imports, re-exports, side-effect and dynamic imports', () => {
    const source = [
      "import express, { Router } from 'express';",
      "import * as z from 'zod';",
      "export { parse } from 'yaml';",
      "import 'dotenv/config';",
      "const m = await import('mongodb');",
      "import {",
      "  Foo,",
      "} from '@scope/pkg/deep';",
    ].join('\n');
    expect([...runtimePackages(source)].sort()).toEqual(['@scope/pkg', 'dotenv', 'express', 'mongodb', 'yaml', 'zod']);
  });

  test('leaves out type-only imports, relative modules, built-ins and comments', () => {
    const source = [
      "import type { Logger } from 'pino';",
      "import { type Db, type Collection } from 'mongodb';",
      "export type { X } from 'typescript';",
      "import { readFileSync } from 'node:fs';",
      "import { helper } from './helper.js';",
      "// import { bad } from 'vitest';",
      "/* import x from 'tsx'; */",
    ].join('\n');
    expect([...runtimePackages(source)]).toEqual([]);
  });
});
