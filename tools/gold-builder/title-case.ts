// Python's `str.title()`: a cased letter is upper(title)-cased when the character before it is
// not cased, lower-cased otherwise. Digits, apostrophes, hyphens and spaces are not cased, so
// "o'neil" → "O'Neil", "3d" → "3D", "UK" → "Uk", "north-rhine" → "North-Rhine".

/** Letters whose title case differs from their upper case (Unicode titlecase digraphs). */
const TITLE_CASE: Readonly<Record<string, string>> = {
  'Ǆ': 'ǅ', 'ǅ': 'ǅ', 'ǆ': 'ǅ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǉ': 'ǈ',
  'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǌ': 'ǋ', 'Ǳ': 'ǲ', 'ǲ': 'ǲ', 'ǳ': 'ǲ',
};

function isCased(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase() || ch in TITLE_CASE;
}

function toTitle(ch: string): string {
  const special = TITLE_CASE[ch];
  if (special) return special;
  const upper = ch.toUpperCase();
  // A letter that upper-cases to several ("ß" → "SS") title-cases to "Ss", as in Python.
  return upper.length > 1 && [...upper].length > 1 ? upper.charAt(0) + upper.slice(1).toLowerCase() : upper;
}

export function pythonTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    // ASCII fast path: most of the data is plain letters.
    const code = ch.charCodeAt(0);
    if (code < 128) {
      const lower = code >= 97 && code <= 122;
      const upper = code >= 65 && code <= 90;
      if (lower || upper) {
        out += previousCased ? (upper ? String.fromCharCode(code + 32) : ch) : lower ? String.fromCharCode(code - 32) : ch;
        previousCased = true;
      } else {
        out += ch;
        previousCased = false;
      }
      continue;
    }
    if (isCased(ch)) {
      out += previousCased ? ch.toLowerCase() : toTitle(ch);
      previousCased = true;
    } else {
      out += ch;
      previousCased = false;
    }
  }
  return out;
}

/** Title-cases a column, computing each distinct value once (products and countries repeat a lot). */
export function titleColumn(values: readonly string[]): string[] {
  const cache = new Map<string, string>();
  return values.map((v) => {
    let t = cache.get(v);
    if (t === undefined) {
      t = pythonTitle(v);
      cache.set(v, t);
    }
    return t;
  });
}
