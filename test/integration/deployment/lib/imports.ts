// Pure scan of the packages a TypeScript module needs at run time: its value imports (static,
// dynamic, re-exports), not `import type`, which the compiler erases.
import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules);

/** Package name of a bare specifier (`@scope/pkg/sub` → `@scope/pkg`); undefined for relative, node: and builtins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return BUILTINS.has(name) ? undefined : name;
}

export function runtimePackages(source: string): Set<string> {
  // Comments could hold example imports; strip them first (good enough for our own sources).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specifiers: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const match of code.matchAll(statement)) {
    if (match[2]) continue; // import type / export type
    const clause = (match[3] ?? '').trim();
    // `import { type A, type B } from 'x'` is erased too.
    const named = /^\{([^}]*)\}$/.exec(clause);
    if (named && (named[1] ?? '').split(',').every((part) => part.trim() === '' || part.trim().startsWith('type '))) continue;
    specifiers.push(match[4] ?? '');
  }
  for (const match of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1] ?? '');
  for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1] ?? '');
  return new Set(specifiers.map(packageOf).filter((name): name is string => name !== undefined));
}
