// Pure .dockerignore matcher for the deployment tests: Docker's rules as the builder applies them
// to paths relative to the context (`*`, `?`, `**`, `!` exceptions, last match wins, a pattern
// that matches a directory excludes everything under it).

interface Rule {
  readonly pattern: string;
  readonly negate: boolean;
  readonly regex: RegExp;
}

function globToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches anything.
        if (pattern[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else {
      out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

function clean(pattern: string): string {
  return pattern.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
}

export function parseDockerignore(text: string): readonly Rule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = clean(negate ? line.slice(1).trim() : line);
      return { pattern, negate, regex: globToRegex(pattern) };
    });
}

/** True when the builder would leave `path` (relative, `/`-separated) out of the context. */
export function isIgnored(rules: readonly Rule[], path: string): boolean {
  const target = clean(path);
  const parts = target.split('/');
  // The path itself and each of its parent directories.
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negate;
  }
  return ignored;
}
