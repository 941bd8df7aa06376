/**
 * Itanium C++ ABI names reduced to what grouping compares: the qualified function name without
 * template arguments, parameter lists, return types, cv/ref qualifiers or ABI tags.
 * `_ZN5space3fooEii`, `space::foo(int, int)` and gdb's `space::foo` all become `space::foo`,
 * so uReport, satyr and gdb frames of one crash compare equal. Dropping template arguments
 * merges instantiations of one template, which is the same code path for grouping purposes.
 *
 * The demangler reads only the <name> part of an <encoding> (parameters follow and are ignored),
 * skipping template arguments by their nesting rather than printing them.
 */

const OPERATORS: Record<string, string> = {
  nw: 'new', na: 'new[]', dl: 'delete', da: 'delete[]', ps: '+', ng: '-', ad: '&', de: '*', co: '~',
  pl: '+', mi: '-', ml: '*', dv: '/', rm: '%', an: '&', or: '|', eo: '^', aS: '=', pL: '+=', mI: '-=',
  mL: '*=', dV: '/=', rM: '%=', aN: '&=', oR: '|=', eO: '^=', ls: '<<', rs: '>>', lS: '<<=', rS: '>>=',
  eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', ss: '<=>', nt: '!', aa: '&&', oo: '||',
  pp: '++', mm: '--', cm: ',', pm: '->*', pt: '->', cl: '()', ix: '[]', qu: '?', aw: 'co_await',
};

const STANDARD_SUBSTITUTIONS: Record<string, string[]> = {
  t: ['std'],
  a: ['std', 'allocator'],
  b: ['std', 'basic_string'],
  s: ['std', 'string'],
  i: ['std', 'istream'],
  o: ['std', 'ostream'],
  d: ['std', 'iostream'],
};

class NotMangled extends Error {}

class Reader {
  pos = 0;
  /** Substitution candidates seen in name prefixes (template arguments are not tracked). */
  readonly substitutions: string[][] = [];
  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  next(): string {
    if (this.pos >= this.text.length) throw new NotMangled();
    return this.text[this.pos++];
  }
  expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) throw new NotMangled();
    this.pos += s.length;
  }
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }
  number(): number {
    const match = /^n?\d+/.exec(this.text.slice(this.pos));
    if (!match) throw new NotMangled();
    this.pos += match[0].length;
    return Number(match[0].replace('n', '-'));
  }
}

/** Demangles an Itanium symbol to its bare qualified name; undefined when it is not one. */
export function demangleFunctionName(symbol: string): string | undefined {
  const mangled = symbol.replace(/^_+Z/, '_Z');
  if (!mangled.startsWith('_Z')) return undefined;
  // `.cold`, `.isra.0`, `.constprop.1`: clones are the same function.
  const reader = new Reader(mangled.replace(/\..*$/, ''));
  try {
    reader.expect('_Z');
    return readName(reader).join('::');
  } catch (error) {
    if (error instanceof NotMangled) return undefined;
    throw error;
  }
}

function readName(r: Reader): string[] {
  const c = r.peek();
  if (c === 'N') return readNested(r);
  if (c === 'Z') return readLocal(r);
  let parts: string[];
  if (c === 'S' && r.peek(1) !== 't') {
    parts = readSubstitution(r);
  } else {
    const std = r.eat('St');
    parts = [...(std ? ['std'] : []), readUnqualified(r, [])];
    r.substitutions.push(parts);
  }
  if (r.peek() === 'I') skipTemplateArgs(r);
  return parts;
}

function readNested(r: Reader): string[] {
  r.expect('N');
  while ('rVK'.includes(r.peek())) r.next();
  if ('RO'.includes(r.peek())) r.next();
  let parts: string[] = [];
  while (r.peek() !== 'E') {
    const c = r.peek();
    if (c === 'S' && r.peek(1) !== 't') {
      parts = readSubstitution(r);
      continue;
    }
    if (r.eat('St')) {
      parts = [...parts, 'std'];
      continue;
    }
    if (c === 'I') {
      skipTemplateArgs(r);
      r.substitutions.push(parts);
      continue;
    }
    if (c === 'T') {
      skipTemplateParam(r);
      parts = [...parts, 'T'];
      continue;
    }
    if (c === 'D' && 'tT'.includes(r.peek(1))) {
      // decltype prefix: not a name a frame would carry; skip its expression.
      r.pos += 2;
      skipUntilEnd(r);
      parts = [...parts, 'decltype'];
      continue;
    }
    if (c === 'M') {
      // Data-member prefix of a closure type: the lambda is named by what follows.
      r.next();
      continue;
    }
    parts = [...parts, readUnqualified(r, parts)];
    r.substitutions.push(parts);
  }
  r.expect('E');
  return parts;
}

function readLocal(r: Reader): string[] {
  r.expect('Z');
  const outer = readName(r);
  skipFunctionParamsUntilE(r);
  if (r.eat('s')) {
    skipDiscriminator(r);
    return outer;
  }
  if (r.eat('d')) {
    if (r.peek() !== '_') r.number();
    r.expect('_');
  }
  const inner = readName(r);
  skipDiscriminator(r);
  return [...outer, ...inner];
}

function skipDiscriminator(r: Reader): void {
  if (r.peek() !== '_') return;
  r.next();
  if (r.eat('_')) {
    r.number();
    r.expect('_');
  } else if (/\d/.test(r.peek())) {
    r.number();
  }
}

function readUnqualified(r: Reader, prefix: string[]): string {
  const c = r.peek();
  let name: string;
  if (c === 'L') {
    r.next();
    return readUnqualified(r, prefix);
  }
  if (/\d/.test(c)) {
    name = readSourceName(r);
  } else if (c === 'C' && /[1-5I]/.test(r.peek(1))) {
    r.next();
    if (r.eat('I')) {
      r.next();
      skipType(r);
    } else {
      r.next();
    }
    name = prefix[prefix.length - 1] ?? '';
  } else if (c === 'D' && /[0-5]/.test(r.peek(1))) {
    r.pos += 2;
    name = `~${prefix[prefix.length - 1] ?? ''}`;
  } else if (c === 'U') {
    name = readUnnamedType(r);
  } else if (/[a-z]/.test(c)) {
    name = readOperator(r);
  } else {
    throw new NotMangled();
  }
  // ABI tags (`B5cxx11`) are not part of what a frame names.
  while (r.peek() === 'B') {
    r.next();
    readSourceName(r);
  }
  return name;
}

function readSourceName(r: Reader): string {
  const length = r.number();
  if (length <= 0 || r.pos + length > r.text.length) throw new NotMangled();
  const id = r.text.slice(r.pos, r.pos + length);
  r.pos += length;
  return id.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : id;
}

function readUnnamedType(r: Reader): string {
  r.expect('U');
  if (r.eat('t')) {
    if (r.peek() !== '_') r.number();
    r.expect('_');
    return '{unnamed type}';
  }
  if (r.eat('l')) {
    skipFunctionParamsUntilE(r);
    if (r.peek() !== '_') r.number();
    r.expect('_');
    return '{lambda}';
  }
  throw new NotMangled();
}

function readOperator(r: Reader): string {
  const code = r.text.slice(r.pos, r.pos + 2);
  r.pos += 2;
  if (code === 'cv') {
    skipType(r);
    return 'operator cast';
  }
  if (code === 'li') return `operator""${readSourceName(r)}`;
  if (code[0] === 'v' && /\d/.test(code[1])) return `operator ${readSourceName(r)}`;
  const op = OPERATORS[code];
  if (!op) throw new NotMangled();
  return /^[a-z]/.test(op) ? `operator ${op}` : `operator${op}`;
}

function readSubstitution(r: Reader): string[] {
  r.expect('S');
  const c = r.peek();
  if (STANDARD_SUBSTITUTIONS[c]) {
    r.next();
    return STANDARD_SUBSTITUTIONS[c];
  }
  let index = 0;
  if (c !== '_') {
    const match = /^[0-9A-Z]+/.exec(r.text.slice(r.pos));
    if (!match) throw new NotMangled();
    r.pos += match[0].length;
    index = parseInt(match[0], 36) + 1;
  }
  r.expect('_');
  const parts = r.substitutions[index];
  // A reference into template arguments, which are not tracked: not a name we can trust.
  if (!parts) throw new NotMangled();
  return parts;
}

function skipTemplateParam(r: Reader): void {
  r.expect('T');
  while (r.peek() !== '_') r.next();
  r.next();
}

function skipTemplateArgs(r: Reader): void {
  r.expect('I');
  while (r.peek() !== 'E') skipTemplateArg(r);
  r.next();
}

function skipTemplateArg(r: Reader): void {
  const c = r.peek();
  if (c === 'L') return skipLiteral(r);
  if (c === 'X') {
    r.next();
    return skipUntilEnd(r);
  }
  if (c === 'J') {
    r.next();
    while (r.peek() !== 'E') skipTemplateArg(r);
    r.next();
    return;
  }
  skipType(r);
}

function skipLiteral(r: Reader): void {
  r.expect('L');
  if (r.eat('_Z')) {
    readName(r);
    skipFunctionParamsUntilE(r);
    return;
  }
  skipType(r);
  while (r.peek() !== 'E') r.next();
  r.next();
}

/** Skips tokens up to the `E` that closes the current construct, minding nested ones. */
function skipUntilEnd(r: Reader): void {
  while (r.peek() !== 'E') skipType(r);
  r.next();
}

/** Skips the parameter types of a function encoding up to its closing `E`. */
function skipFunctionParamsUntilE(r: Reader): void {
  while (r.peek() !== 'E') skipType(r);
  r.next();
}

const BUILTIN = 'vwbcahstijlmxynofdegz';

function skipType(r: Reader): void {
  const c = r.peek();
  if (c === '') throw new NotMangled();
  if (BUILTIN.includes(c)) {
    r.next();
    return;
  }
  if ('PRKVrOCG'.includes(c)) {
    r.next();
    return skipType(r);
  }
  if (c === 'u') {
    r.next();
    readSourceName(r);
    return;
  }
  if (c === 'D') {
    const d = r.peek(1);
    r.pos += 2;
    if ('tTy'.includes(d) || d === 'x') return skipUntilEnd(r);
    if (d === 'p') return skipType(r);
    if (d === 'v') {
      while (r.peek() !== '_') r.next();
      r.next();
      return skipType(r);
    }
    if (d === 'F') {
      r.number();
      r.eat('x');
      r.eat('b');
      return;
    }
    if (d === 'B' || d === 'U') {
      r.number();
      r.expect('_');
      return;
    }
    return;
  }
  if (c === 'F') {
    r.next();
    r.eat('Y');
    while (r.peek() !== 'E') {
      if (r.peek() === 'R' && r.peek(1) === 'E') {
        r.next();
        continue;
      }
      if (r.peek() === 'O' && r.peek(1) === 'E') {
        r.next();
        continue;
      }
      skipType(r);
    }
    r.next();
    return;
  }
  if (c === 'A') {
    r.next();
    if (r.peek() !== '_') {
      if (/\d/.test(r.peek())) r.number();
      else skipTemplateArg(r);
    }
    r.expect('_');
    return skipType(r);
  }
  if (c === 'M') {
    r.next();
    skipType(r);
    return skipType(r);
  }
  if (c === 'T') {
    skipTemplateParam(r);
    if (r.peek() === 'I') skipTemplateArgs(r);
    return;
  }
  if (c === 'S') {
    if (r.peek(1) === 't') {
      r.pos += 2;
      readUnqualified(r, []);
    } else {
      // Only the syntax matters here: the referenced type is being skipped, not printed.
      r.next();
      if (!STANDARD_SUBSTITUTIONS[r.peek()]) while (r.peek() !== '_') r.next();
      r.next();
    }
    if (r.peek() === 'I') skipTemplateArgs(r);
    return;
  }
  if (c === 'N' || c === 'Z' || /\d/.test(c)) {
    readName(r);
    return;
  }
  if (c === 'f') {
    // Function parameter reference in an expression (`fp_`).
    r.next();
    while (r.peek() !== '_') r.next();
    r.next();
    return;
  }
  if (c === 'L') return skipLiteral(r);
  if (c === 'X' || c === 'I' || c === 'J') {
    r.next();
    return skipUntilEnd(r);
  }
  if (/[a-z]/.test(c)) {
    // An operator inside an expression: its operands follow as further tokens.
    r.pos += 2;
    return;
  }
  throw new NotMangled();
}

/**
 * Demangled text (`ns::Foo<int>::bar(char const*) const`, gdb's `ns::Foo<int>::bar`) reduced the
 * same way as demangleFunctionName: templates, parameters, return type and qualifiers dropped.
 */
export function bareCxxName(text: string): string {
  let out = '';
  let depth = 0;
  let i = 0;
  const name = text.trim();
  while (i < name.length) {
    if (name.startsWith('operator', i) && !/[\w]/.test(name[i + 8] ?? '') && (i === 0 || /[\s:]/.test(name[i - 1]))) {
      const op = /^operator\s*(\(\)|\[\]|->\*?|<=>|<<=?|>>=?|[-+*/%^&|~!=<>,]=?|&&|\|\||\+\+|--|"" ?\w+|\s+(?:new|delete)(?:\[\])?|\s+co_await)/.exec(
        name.slice(i),
      );
      if (op) {
        if (depth === 0) out += op[0].replace(/\s+/g, ' ').replace(/^operator (?=[^\w])/, 'operator');
        i += op[0].length;
        continue;
      }
      // Conversion operator (`operator int`, `operator bool`): one spelling, like the demangler's.
      const conversion = /^operator\s+[^(<]+/.exec(name.slice(i));
      if (conversion) {
        if (depth === 0) out += 'operator cast';
        i += conversion[0].length;
        continue;
      }
    }
    const c = name[i];
    if (c === '<' || c === '(' || c === '[' || c === '{') {
      if (c === '(' && depth === 0 && name.startsWith('(anonymous namespace)', i)) {
        out += '(anonymous namespace)';
        i += '(anonymous namespace)'.length;
        continue;
      }
      if (c === '{' && depth === 0) {
        const closure = /^\{(lambda|unnamed type)/.exec(name.slice(i));
        out += closure ? `{${closure[1]}}` : '';
      }
      depth++;
    } else if (c === '>' || c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      out += c;
    }
    i++;
  }
  // A return type (`void ns::f`) or trailing qualifier (`const`) is separated by a space at top level.
  const anonymous = '\u0000';
  const words = out
    .replaceAll('(anonymous namespace)', anonymous)
    .replace(/\s+(?:const|volatile|noexcept|&&?|&)\s*$/g, '')
    .split(/\s+(?!(?:new|delete|cast|co_await)\b)/)
    .filter((w) => w && !/^(?:const|volatile|noexcept|&&?)$/.test(w));
  return words.length ? words[words.length - 1].replaceAll(anonymous, '(anonymous namespace)') : name;
}

/** The name grouping compares for a C/C++ frame: demangled if mangled, decorations dropped. */
export function cxxFunctionName(name: string): string {
  const demangled = demangleFunctionName(name);
  if (demangled !== undefined) return demangled;
  return /[<(\s]/.test(name) ? bareCxxName(name) : name;
}
