/**
 * Parser of aXis2000 / SDF `.hdr` headers: nested `Name = value;` blocks in
 * `{}`, arrays as `(count, v1, v2, …)`, strings in double quotes, bare words
 * and numbers. Lenient where writers are sloppy (a missing `;` before `}`,
 * a stray `}` in an array, `Name= value`), strict about structure it cannot
 * make sense of (a clear message with the line number).
 */

export type HdrValue = string | number | boolean | HdrStruct | HdrValue[];
export interface HdrStruct {
  [key: string]: HdrValue;
}

export class HdrSyntaxError extends Error {}

type Token =
  | { kind: 'word'; text: string; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: 'punct'; text: '{' | '}' | '(' | ')' | '=' | ';' | ','; line: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\0') {
      i++;
    } else if (c === '"') {
      const start = line;
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\n') {
          line++;
        }
        j++;
      }
      if (j >= n) {
        throw new HdrSyntaxError(`line ${start}: a string is not closed`);
      }
      tokens.push({ kind: 'string', text: text.slice(i + 1, j), line: start });
      i = j + 1;
    } else if ('{}()=;,'.includes(c)) {
      tokens.push({ kind: 'punct', text: c as '{', line });
      i++;
    } else {
      let j = i;
      while (j < n && !' \t\r\n\f\v\0"{}()=;,'.includes(text[j])) {
        j++;
      }
      tokens.push({ kind: 'word', text: text.slice(i, j), line });
      i = j;
    }
  }
  return tokens;
}

function scalar(text: string): string | number | boolean {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    return Number(text);
  }
  if (/^true$/i.test(text)) {
    return true;
  }
  if (/^false$/i.test(text)) {
    return false;
  }
  return text;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private where(): string {
    const t = this.peek() ?? this.tokens[this.tokens.length - 1];
    return t ? `line ${t.line}` : 'the end';
  }

  /** `Name = value;` pairs until `}` (nested) or the end (top level). */
  struct(nested: boolean): HdrStruct {
    const out: HdrStruct = {};
    for (;;) {
      const t = this.peek();
      if (!t) {
        if (nested) {
          throw new HdrSyntaxError(`${this.where()}: a "{" block is not closed`);
        }
        return out;
      }
      if (t.kind === 'punct' && t.text === '}') {
        this.pos++;
        if (nested) {
          return out;
        }
        continue; // a stray "}" at top level
      }
      if (t.kind === 'punct' && (t.text === ';' || t.text === ',')) {
        this.pos++;
        continue;
      }
      if (t.kind !== 'word') {
        throw new HdrSyntaxError(`${this.where()}: expected a name, found "${t.text}"`);
      }
      this.pos++;
      const eq = this.peek();
      if (!eq || eq.kind !== 'punct' || eq.text !== '=') {
        throw new HdrSyntaxError(`line ${t.line}: expected "=" after "${t.text.slice(0, 40)}"`);
      }
      this.pos++;
      out[t.text] = this.value();
    }
  }

  value(): HdrValue {
    const t = this.peek();
    if (!t) {
      throw new HdrSyntaxError('the header ends where a value was expected');
    }
    this.pos++;
    if (t.kind === 'string') {
      return t.text;
    }
    if (t.kind === 'word') {
      return scalar(t.text);
    }
    if (t.text === '{') {
      return this.struct(true);
    }
    if (t.text === '(') {
      return this.array();
    }
    if (t.text === ';') {
      this.pos--;
      return ''; // `Name = ;`
    }
    throw new HdrSyntaxError(`line ${t.line}: unexpected "${t.text}"`);
  }

  array(): HdrValue[] {
    const out: HdrValue[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) {
        throw new HdrSyntaxError(`${this.where()}: a "(" list is not closed`);
      }
      if (t.kind === 'punct' && t.text === ')') {
        this.pos++;
        return out;
      }
      if (t.kind === 'punct' && (t.text === ',' || t.text === '}' || t.text === ';')) {
        this.pos++; // separators; a stray "}" (SLS HDF5→SDF converter) is skipped
        continue;
      }
      out.push(this.value());
    }
  }
}

export function parseHdr(text: string): HdrStruct {
  return new Parser(tokenize(text)).struct(false);
}

/** Field access on parsed values. */
export function field(v: HdrValue | undefined, name: string): HdrValue | undefined {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v[name] : undefined;
}

export function structOf(v: HdrValue | undefined): HdrStruct | undefined {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/**
 * Items of a counted list `(count, a, b, …)`: checks the count and returns
 * the items; `undefined` when `v` is not such a list.
 */
export function counted(v: HdrValue | undefined): { count: number; items: HdrValue[] } | undefined {
  if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'number') {
    return undefined;
  }
  return { count: v[0], items: v.slice(1) };
}
