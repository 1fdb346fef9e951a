// Computed columns: a small arithmetic language parsed here (recursive descent, no eval) and run
// column-wise over Float64Arrays. `gaia.bp = phot_g_mean_mag + bp_g`, `-2.5*log10(JFlux / 3.864e-9)`,
// `1.0857362 / phot_g_mean_flux_over_error`. Names are column names or canonical quantity names;
// names with other characters go in backticks (`e_3.6mag`). A result is valid only where every
// input is valid and the arithmetic gives a finite number: a missing input never becomes a value.

export type ExprNode =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'negate'; operand: ExprNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: ExprNode; right: ExprNode }
  | { kind: 'call'; fn: FunctionName; args: ExprNode[] };

const FUNCTIONS = {
  log10: { arity: 1, apply: (a: number[]) => Math.log10(a[0]!) },
  ln: { arity: 1, apply: (a: number[]) => Math.log(a[0]!) },
  log: { arity: 1, apply: (a: number[]) => Math.log(a[0]!) },
  exp: { arity: 1, apply: (a: number[]) => Math.exp(a[0]!) },
  sqrt: { arity: 1, apply: (a: number[]) => Math.sqrt(a[0]!) },
  abs: { arity: 1, apply: (a: number[]) => Math.abs(a[0]!) },
  pow: { arity: 2, apply: (a: number[]) => a[0]! ** a[1]! },
  hypot: { arity: 2, apply: (a: number[]) => Math.hypot(a[0]!, a[1]!) },
  min: { arity: 2, apply: (a: number[]) => Math.min(a[0]!, a[1]!) },
  max: { arity: 2, apply: (a: number[]) => Math.max(a[0]!, a[1]!) },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

export interface Assignment {
  target: string | null;
  expression: ExprNode;
  text: string;
}

type Token =
  | { type: 'number'; value: number; at: number }
  | { type: 'name'; value: string; at: number }
  | { type: 'op'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (/[0-9.]/.test(c)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!match) throw new Error(`expression '${text}': position ${i + 1}: '${c}' does not start a number`);
      tokens.push({ type: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      tokens.push({ type: 'name', value: match[0], at: i });
      i += match[0].length;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new Error(`expression '${text}': position ${i + 1}: unclosed backtick`);
      tokens.push({ type: 'name', value: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (c === '*' && text[i + 1] === '*') {
      tokens.push({ type: 'op', value: '^', at: i });
      i += 2;
    } else if ('+-*/^(),='.includes(c)) {
      tokens.push({ type: 'op', value: c, at: i });
      i += 1;
    } else {
      throw new Error(`expression '${text}': position ${i + 1}: unexpected '${c}'`);
    }
  }
  return tokens;
}

/** Parses `target = expression` or a bare expression. */
/** A column mapping is a short formula; beyond this many tokens the recursive parser and evaluator
 * could exhaust the stack, so a longer text is refused rather than crashing. */
const MAX_TOKENS = 1000;

export function parseAssignment(text: string): Assignment {
  const tokens = tokenize(text);
  if (tokens.length > MAX_TOKENS)
    throw new Error(
      `expression '${text.slice(0, 40)}…': ${tokens.length} tokens, more than the ${MAX_TOKENS} allowed`,
    );
  let target: string | null = null;
  let start = 0;
  if (
    tokens.length >= 2 &&
    tokens[0]!.type === 'name' &&
    tokens[1]!.type === 'op' &&
    tokens[1]!.value === '='
  ) {
    target = tokens[0]!.value;
    start = 2;
  }
  let pos = start;
  const fail = (message: string): never => {
    const at = tokens[pos]?.at ?? text.length;
    throw new Error(`expression '${text}': position ${at + 1}: ${message}`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t !== undefined && t.type === 'op' && t.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) fail(`expected '${value}'`);
    pos += 1;
  };
  // expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ; unary := '-' unary | power
  // power := primary ('^' unary)?  (right-associative, binds tighter than unary minus on its left)
  const expr = (): ExprNode => {
    let node = term();
    while (isOp('+') || isOp('-')) {
      const op = peek()!.value as '+' | '-';
      pos += 1;
      node = { kind: 'binary', op, left: node, right: term() };
    }
    return node;
  };
  const term = (): ExprNode => {
    let node = unary();
    while (isOp('*') || isOp('/')) {
      const op = peek()!.value as '*' | '/';
      pos += 1;
      node = { kind: 'binary', op, left: node, right: unary() };
    }
    return node;
  };
  const unary = (): ExprNode => {
    if (isOp('-')) {
      pos += 1;
      return { kind: 'negate', operand: unary() };
    }
    if (isOp('+')) {
      pos += 1;
      return unary();
    }
    return power();
  };
  const power = (): ExprNode => {
    const base = primary();
    if (isOp('^')) {
      pos += 1;
      return { kind: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const primary = (): ExprNode => {
    const t = peek();
    if (t === undefined) return fail('expression ends too early');
    if (t.type === 'number') {
      pos += 1;
      return { kind: 'number', value: t.value };
    }
    if (t.type === 'name') {
      pos += 1;
      if (isOp('(')) {
        if (!(t.value in FUNCTIONS))
          return fail(`unknown function '${t.value}' (known: ${Object.keys(FUNCTIONS).join(', ')})`);
        const fn = t.value as FunctionName;
        pos += 1;
        const args: ExprNode[] = [];
        if (!isOp(')')) {
          args.push(expr());
          while (isOp(',')) {
            pos += 1;
            args.push(expr());
          }
        }
        expect(')');
        if (args.length !== FUNCTIONS[fn].arity)
          fail(`${fn} takes ${FUNCTIONS[fn].arity} argument(s), got ${args.length}`);
        return { kind: 'call', fn, args };
      }
      return { kind: 'name', name: t.value };
    }
    if (t.value === '(') {
      pos += 1;
      const node = expr();
      expect(')');
      return node;
    }
    return fail(`unexpected '${t.value}'`);
  };
  if (tokens.length === start) throw new Error(`expression '${text}': empty`);
  const expression = expr();
  if (pos < tokens.length) fail(`unexpected '${String(tokens[pos]!.value)}' after the expression`);
  return { target, expression, text };
}

export function namesIn(node: ExprNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'name':
      into.add(node.name);
      break;
    case 'negate':
      namesIn(node.operand, into);
      break;
    case 'binary':
      namesIn(node.left, into);
      namesIn(node.right, into);
      break;
    case 'call':
      for (const a of node.args) namesIn(a, into);
      break;
    default:
      break;
  }
  return into;
}

/** A column of doubles with its validity (1 = a usable value). */
export interface NumericColumn {
  values: Float64Array;
  valid: Uint8Array;
}

const OPERATORS: Record<'+' | '-' | '*' | '/' | '^', (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
};

/** The value of a subtree without names (folded once, not per row), or null. */
function constantOf(node: ExprNode): number | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'name':
      return null;
    case 'negate': {
      const a = constantOf(node.operand);
      return a === null ? null : -a;
    }
    case 'binary': {
      const a = constantOf(node.left);
      const b = a === null ? null : constantOf(node.right);
      return a === null || b === null ? null : OPERATORS[node.op](a, b);
    }
    case 'call': {
      const args = node.args.map(constantOf);
      return args.every((a): a is number => a !== null) ? FUNCTIONS[node.fn].apply(args) : null;
    }
  }
}

/** Evaluates over `rows` rows; `resolve` supplies the named columns (which are never modified). */
export function evaluate(
  node: ExprNode,
  rows: number,
  resolve: (name: string) => NumericColumn,
): NumericColumn {
  const run = (n: ExprNode): NumericColumn => {
    const constant = constantOf(n);
    if (constant !== null) {
      const ok = Number.isFinite(constant);
      return {
        values: new Float64Array(rows).fill(ok ? constant : Number.NaN),
        valid: new Uint8Array(rows).fill(ok ? 1 : 0),
      };
    }
    switch (n.kind) {
      case 'name':
        return resolve(n.name);
      case 'negate': {
        const a = run(n.operand);
        return { values: a.values.map((v) => -v), valid: a.valid.slice() };
      }
      case 'binary': {
        const op = OPERATORS[n.op];
        const ca = constantOf(n.left);
        const cb = constantOf(n.right);
        const a = ca === null ? run(n.left) : null;
        const b = cb === null ? run(n.right) : null;
        const values = new Float64Array(rows);
        const valid = new Uint8Array(rows);
        for (let i = 0; i < rows; i += 1) {
          const v = op(a === null ? ca! : a.values[i]!, b === null ? cb! : b.values[i]!);
          const ok =
            (a === null || a.valid[i] === 1) && (b === null || b.valid[i] === 1) && Number.isFinite(v);
          values[i] = ok ? v : Number.NaN;
          valid[i] = ok ? 1 : 0;
        }
        return { values, valid };
      }
      default: {
        const call = n as Extract<ExprNode, { kind: 'call' }>;
        const args = call.args.map(run);
        const fn = FUNCTIONS[call.fn];
        const values = new Float64Array(rows);
        const valid = new Uint8Array(rows);
        const scratch: number[] = new Array<number>(args.length);
        for (let i = 0; i < rows; i += 1) {
          let ok = 1;
          for (let k = 0; k < args.length; k += 1) {
            scratch[k] = args[k]!.values[i]!;
            ok &= args[k]!.valid[i]!;
          }
          const v = fn.apply(scratch);
          ok &= Number.isFinite(v) ? 1 : 0;
          values[i] = ok ? v : Number.NaN;
          valid[i] = ok;
        }
        return { values, valid };
      }
    }
  };
  return run(node);
}
