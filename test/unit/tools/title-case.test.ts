import { describe, expect, test } from 'vitest';
import { pythonTitle, titleColumn } from '../../../tools/gold-builder/title-case.js';

describe('pythonTitle reproduces Python str.title()', () => {
  // Expected values produced by CPython 3.11 `s.title()`.
  test.each([
    ['uk', 'Uk'],
    ['UK', 'Uk'],
    ["o'neil", "O'Neil"],
    ['3d printer', '3D Printer'],
    ['north-rhine westphalia', 'North-Rhine Westphalia'],
    ['éCOLE', 'École'],
    ['ßa', 'Ssa'],
    ['ǆx', 'ǅx'],
    ['hello_world', 'Hello_World'],
    ['', ''],
    ['  spaced  out ', '  Spaced  Out '],
    ['a1b2', 'A1B2'],
  ])('%j → %j', (input, expected) => {
    expect(pythonTitle(input)).toBe(expected);
  });

  test('titleColumn maps every value and reuses results for repeats', () => {
    expect(titleColumn(['mouse', 'UK', 'mouse'])).toEqual(['Mouse', 'Uk', 'Mouse']);
  });
});
