import { describe, expect, test } from 'vitest';
import { composeVariables, parseEnvExample } from '../../integration/deployment/lib/env-file.js';

describe('parseEnvExample', () => {
  test('reads active and commented-out assignments, and ignores prose', () => {
    const text = ['# MongoDB settings', 'MONGO_DB=gold_serving', 'EMPTY=', '# ROOT_USER=root', '#not an = assignment', '  ', 'A=b=c'].join('\n');
    expect(parseEnvExample(text)).toEqual([
      { name: 'MONGO_DB', value: 'gold_serving', active: true, line: 2 },
      { name: 'EMPTY', value: '', active: true, line: 3 },
      { name: 'ROOT_USER', value: 'root', active: false, line: 4 },
      { name: 'A', value: 'b=c', active: true, line: 7 },
    ]);
  });
});

describe('composeVariables', () => {
  test('finds ${NAME}, ${NAME:-default}, ${NAME:?message} and $NAME', () => {
    const text = 'a: ${ONE}\nb: ${TWO:-x}\nc: ${THREE:?set THREE}\nd: $FOUR\ne: "${FIVE-y}"';
    expect([...composeVariables(text)].sort()).toEqual(['FIVE', 'FOUR', 'ONE', 'THREE', 'TWO']);
  });

  test('skips $$-escaped names and comment lines', () => {
    const text = 'cmd: echo "$$SHELL_VAR" $${ALSO_SHELL}\n  # uses ${IN_COMMENT}\nx: ${REAL}';
    expect([...composeVariables(text)]).toEqual(['REAL']);
  });
});
