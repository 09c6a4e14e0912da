// Pure reader of a Dockerfile's instructions, grouped by build stage, for the deployment tests.
// Handles comments, parser directives, `\` line continuations and `FROM image AS name`.

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, COPY, USER, HEALTHCHECK, CMD ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined by one space. */
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  /** `AS` name, or the stage index as a string when unnamed. */
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): { preamble: readonly Instruction[]; stages: readonly Stage[] } {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let pending = '';
  let start = 0;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines (and directives) are dropped, even inside a continuation, as Docker does.
    if (trimmed.startsWith('#')) return;
    if (pending === '' && trimmed === '') return;
    if (pending === '') start = index + 1;
    const continued = trimmed.endsWith('\\');
    pending += (pending ? ' ' : '') + (continued ? trimmed.slice(0, -1).trim() : trimmed);
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending);
    if (match) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    pending = '';
  });

  const preamble: Instruction[] = [];
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? (words[asIndex + 1] ?? String(stages.length)) : String(stages.length);
      stages.push({ name, base: words[0] ?? '', instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current) current.instructions.push(instruction);
    else preamble.push(instruction);
  }
  return { preamble, stages };
}

/** Arguments of an exec-form (`["a", "b"]`) or shell-form instruction, as words. */
export function commandWords(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) return parsed;
    throw new Error(`exec form is not a JSON array of strings: ${trimmed}`);
  }
  return trimmed.split(/\s+/).filter(Boolean);
}

/** The command a HEALTHCHECK runs (options like --interval dropped); [] for `HEALTHCHECK NONE`. */
export function healthcheckCommand(args: string): string[] {
  const words = args.trim();
  if (/^NONE$/i.test(words)) return [];
  const cmd = /(?:^|\s)CMD\s+(.*)$/i.exec(words);
  if (!cmd) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  return commandWords(cmd[1] ?? '');
}

/** The user an image runs as after a stage: the last USER, else root. Group part dropped. */
export function effectiveUser(stage: Stage): string {
  const users = stage.instructions.filter((i) => i.keyword === 'USER');
  const last = users.at(-1);
  return last ? (last.args.split(':')[0] ?? '').trim() : 'root';
}

export function isRootUser(user: string): boolean {
  return user === 'root' || user === '0' || user === '';
}
