import { describe, expect, test } from 'vitest';
import { isIgnored, parseDockerignore } from '../../integration/deployment/lib/dockerignore.js';

describe('isIgnored (.dockerignore rules)', () => {
  const rules = parseDockerignore(['# comment', 'node_modules', '/data/', '**/test', '*.md', '!README.md', '.env*', 'a?c'].join('\n'));

  test('a directory pattern excludes the directory and everything below it', () => {
    expect(isIgnored(rules, 'node_modules')).toBe(true);
    expect(isIgnored(rules, 'node_modules/zod/index.js')).toBe(true);
    expect(isIgnored(rules, 'data/gold/x.parquet')).toBe(true);
  });

  test('patterns are anchored at the context root unless they start with **/', () => {
    expect(isIgnored(rules, 'src/node_modules')).toBe(false);
    expect(isIgnored(rules, 'src/data/x')).toBe(false);
    expect(isIgnored(rules, 'test/a.ts')).toBe(true);
    expect(isIgnored(rules, 'mongo-test-server/test/a.ts')).toBe(true);
    expect(isIgnored(rules, 'src/testing.ts')).toBe(false);
  });

  test('* and ? stay within one path segment', () => {
    expect(isIgnored(rules, 'CHANGES.md')).toBe(true);
    expect(isIgnored(rules, 'docs/CHANGES.md')).toBe(false);
    expect(isIgnored(rules, 'abc')).toBe(true);
    expect(isIgnored(rules, 'a/c')).toBe(false);
  });

  test('a later ! exception brings a path back; the last matching rule wins', () => {
    expect(isIgnored(rules, 'README.md')).toBe(false);
    expect(isIgnored(parseDockerignore('!README.md\n*.md'), 'README.md')).toBe(true);
  });

  test('dots are literal and leading ./ or / are ignored', () => {
    expect(isIgnored(rules, '.env')).toBe(true);
    expect(isIgnored(rules, './.env.local')).toBe(true);
    expect(isIgnored(rules, 'xenv')).toBe(false);
  });

  test('nothing is ignored without rules', () => {
    expect(isIgnored(parseDockerignore(''), 'node_modules')).toBe(false);
  });
});
