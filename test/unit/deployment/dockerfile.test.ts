import { describe, expect, test } from 'vitest';
import {
  commandWords,
  effectiveUser,
  healthcheckCommand,
  isRootUser,
  parseDockerfile,
} from '../../integration/deployment/lib/dockerfile.js';

const SAMPLE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=node:20-alpine',
  'FROM ${BASE} AS build',
  'RUN npm ci \\',
  '  # a comment inside a continuation is dropped',
  '  && npm run build',
  '',
  'from ${BASE}',
  'COPY --from=build /app/dist ./dist',
  'USER node:node',
  'HEALTHCHECK --interval=5s CMD ["node", "check.js", "/readyz"]',
  'CMD node dist/src/main.js',
].join('\n');

describe('parseDockerfile', () => {
  const { preamble, stages } = parseDockerfile(SAMPLE);

  test('keeps instructions before the first FROM apart, as the preamble', () => {
    expect(preamble).toEqual([{ keyword: 'ARG', args: 'BASE=node:20-alpine', line: 2 }]);
  });

  test('splits stages at FROM, named by AS or by their index, case-insensitively', () => {
    expect(stages.map((s) => [s.name, s.base])).toEqual([
      ['build', '${BASE}'],
      ['1', '${BASE}'],
    ]);
  });

  test('joins continuation lines and drops the comments between them', () => {
    expect(stages[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'npm ci && npm run build', line: 4 }]);
  });

  test('reads the user without its group, and root when no USER is given', () => {
    expect(effectiveUser(stages[1]!)).toBe('node');
    expect(effectiveUser(stages[0]!)).toBe('root');
  });
});

describe('command helpers', () => {
  test('read exec form as JSON and shell form as words', () => {
    expect(commandWords('["node", "a b.js"]')).toEqual(['node', 'a b.js']);
    expect(commandWords('node  dist/src/main.js')).toEqual(['node', 'dist/src/main.js']);
  });

  test('reject an exec form that is not an array of strings', () => {
    expect(() => commandWords('[1, 2]')).toThrow(/JSON array of strings/);
  });

  test('extract the HEALTHCHECK command after its options, and nothing for NONE', () => {
    expect(healthcheckCommand('--interval=5s --timeout=3s CMD ["node", "check.js"]')).toEqual(['node', 'check.js']);
    expect(healthcheckCommand('NONE')).toEqual([]);
    expect(() => healthcheckCommand('--interval=5s')).toThrow(/without CMD/);
  });

  test('treat root, uid 0 and an empty user as root', () => {
    expect(['root', '0', ''].map(isRootUser)).toEqual([true, true, true]);
    expect(isRootUser('node')).toBe(false);
  });
});
