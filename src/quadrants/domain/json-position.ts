// Where JSON breaks: Node 20's JSON.parse often reports no position, and a person fixing a
// 20 MB file needs the line and column.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Offset of the first syntax error in `text` (text.length if it ends too early). Iterative: no stack to blow. */
export function jsonErrorOffset(text: string): number {
  const open: string[] = [];
  let i = 0;
  let expect: 'value' | 'key' | 'after' = 'value';
  const skip = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++; };
  const sticky = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  /** From just after an opening quote to just after the closing one; false where it breaks. */
  const string = (): boolean => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) { i++; return true; }
      if (c === 92) { if (!sticky(ESCAPE)) return false; } else if (c < 32 || i >= text.length) return false; else i++;
    }
  };
  for (;;) {
    skip();
    const c = text[i];
    if (expect === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) return i === text.length ? -1 : i;
      if (c === ',') { i++; expect = top === '{' ? 'key' : 'value'; continue; }
      if ((top === '{' && c === '}') || (top === '[' && c === ']')) { open.pop(); i++; continue; }
      return i;
    }
    if (expect === 'key') {
      if (c !== '"') return i;
      i++;
      if (!string()) return i;
      skip();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    if (c === '{' || c === '[') {
      i++;
      skip();
      if (text[i] === (c === '{' ? '}' : ']')) { i++; expect = 'after'; continue; }
      open.push(c);
      expect = c === '{' ? 'key' : 'value';
      continue;
    }
    if (c === '"') { i++; if (!string()) return i; } else if (!sticky(NUMBER)) {
      const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (!literal) return i;
      i += literal.length;
    }
    expect = 'after';
  }
}
