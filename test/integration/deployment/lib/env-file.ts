// Pure readers for `.env.example` and for the `${VAR}` references of compose files.

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  /** false for a documented but commented-out entry (`# NAME=value`). */
  readonly active: boolean;
  readonly line: number;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Entries of an env file; commented lines count when they are exactly `# NAME=value`. */
export function parseEnvExample(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const commented = line.startsWith('#');
    const body = commented ? line.replace(/^#+\s?/, '') : line;
    const match = ASSIGNMENT.exec(body);
    if (!match) return;
    entries.push({ name: match[1] ?? '', value: match[2] ?? '', active: !commented, line: index + 1 });
  });
  return entries;
}

/**
 * Names interpolated by compose in a file: `${NAME}`, `${NAME:-default}`, `${NAME?err}` ... and
 * `$NAME`; `$$` is compose's escape for a literal `$` and is skipped.
 */
export function composeVariables(text: string): Set<string> {
  const names = new Set<string>();
  // Comments are not interpolated; drop them so documentation may mention ${...} freely.
  const code = text
    .split(/\r?\n/)
    .map((line) => (line.trimStart().startsWith('#') ? '' : line))
    .join('\n');
  const pattern = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const match of code.matchAll(pattern)) {
    const name = match[2] ?? match[3];
    if (name) names.add(name);
  }
  return names;
}
