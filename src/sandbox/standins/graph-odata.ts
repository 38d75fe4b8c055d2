/**
 * The OData query options the Graph stand-in understands: `$filter` (eq, ne, in, startswith,
 * `prop/any(x:x eq 'v')`, and, or, not, parentheses), `$select` and `$top` + `$skiptoken` paging.
 * String comparison is case-insensitive, as Graph's directory queries are. Anything else is an
 * unsupported query: the caller answers 400 like Graph does, so a query the real service would
 * reject never silently passes here.
 */

export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new ODataError('BadRequest', 'Invalid filter clause: unterminated string literal.');
        if (input[i] === "'" && input[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (input[i] === "'") {
          i++;
          break;
        } else text += input[i++];
      }
      tokens.push({ kind: 'string', text });
    } else if ('(),:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.@/$-]+/.exec(input.slice(i));
      if (!m) throw new ODataError('BadRequest', `Invalid filter clause: unexpected '${c}'.`);
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const equal = (a: unknown, b: unknown) => norm(a) === norm(b);

/** Parses a `$filter`; `props` are the filterable property names of the resource (case-insensitive). */
export function parseFilter(input: string, props: readonly string[]): Predicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === w;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new ODataError('BadRequest', `Invalid filter clause: expected '${text}'.`);
    pos++;
  };
  const resolve = (text: string | undefined): string => {
    const name = text === undefined ? undefined : props.find((p) => p.toLowerCase() === text.toLowerCase());
    if (!name) throw new ODataError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${text ?? ''}'.`);
    return name;
  };
  const property = (): string => {
    const t = tokens[pos++];
    return resolve(t?.kind === 'word' ? t.text : undefined);
  };
  const literal = (): unknown => {
    const t = tokens[pos++];
    if (!t) throw new ODataError('BadRequest', 'Invalid filter clause: missing value.');
    if (t.kind === 'string') return t.text;
    if (t.text === 'true' || t.text === 'false') return t.text === 'true';
    if (t.text === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(t.text)) return Number(t.text);
    throw new ODataError('BadRequest', `Invalid filter clause: '${t.text}' is not a literal.`);
  };

  const primary = (): Predicate => {
    if (peek()?.text === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (isWord('startswith')) {
      pos++;
      expect('(');
      const prop = property();
      expect(',');
      const value = String(literal()).toLowerCase();
      expect(')');
      return (row) => typeof row[prop] === 'string' && (row[prop] as string).toLowerCase().startsWith(value);
    }
    const word = peek()?.text ?? '';
    const lambda = /^([A-Za-z]+)\/any$/i.exec(word);
    if (lambda) {
      // prop/any(x:x eq 'v') over a collection of strings
      pos++;
      const prop = resolve(lambda[1]);
      expect('(');
      const variable = tokens[pos++]?.text;
      expect(':');
      if (tokens[pos++]?.text !== variable || !isWord('eq')) throw new ODataError('Request_UnsupportedQuery', 'Only x:x eq ... lambdas are supported.');
      pos++;
      const value = literal();
      expect(')');
      return (row) => Array.isArray(row[prop]) && (row[prop] as unknown[]).some((v) => equal(v, value));
    }
    const prop = property();
    const op = tokens[pos++]?.text.toLowerCase();
    if (op === 'eq' || op === 'ne') {
      const value = literal();
      return op === 'eq' ? (row) => equal(row[prop] ?? null, value) : (row) => !equal(row[prop] ?? null, value);
    }
    if (op === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.text === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return (row) => values.some((v) => equal(row[prop], v));
    }
    throw new ODataError('Request_UnsupportedQuery', `Unsupported query operator '${op ?? ''}'.`);
  };
  const unary = (): Predicate => {
    if (isWord('not')) {
      pos++;
      const inner = unary();
      return (row) => !inner(row);
    }
    return primary();
  };
  const and = (): Predicate => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      const l = left;
      const r = unary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (isWord('or')) {
      pos++;
      const l = left;
      const r = and();
      left = (row) => l(row) || r(row);
    }
    return left;
  };

  const predicate = or();
  if (pos !== tokens.length) throw new ODataError('BadRequest', `Invalid filter clause: unexpected '${tokens[pos].text}'.`);
  return predicate;
}

/** Applies `$select` (case-insensitive); without it, the resource's default properties. */
export function project(row: Row, select: string | null, allProps: readonly string[], defaultProps: readonly string[], typeName: string): Row {
  const wanted = select
    ? select.split(',').map((s) => {
        const name = allProps.find((p) => p.toLowerCase() === s.trim().toLowerCase());
        if (!name) throw new ODataError('BadRequest', `Could not find a property named '${s.trim()}' on type '${typeName}'.`);
        return name;
      })
    : defaultProps;
  const out: Row = {};
  if (row['@odata.type'] !== undefined) out['@odata.type'] = row['@odata.type'];
  for (const p of wanted) out[p] = row[p] ?? null;
  return out;
}

export interface Page {
  value: Row[];
  nextSkip?: number;
}

/** `$top` (1..999, default 100) and an opaque `$skiptoken` holding the offset. */
export function pageOf(rows: Row[], query: URLSearchParams): Page {
  const topText = query.get('$top');
  const top = topText === null ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new ODataError('Request_UnsupportedQuery', `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`);
  }
  const skipToken = query.get('$skiptoken');
  const offset = skipToken ? Number(Buffer.from(skipToken, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ODataError('BadRequest', 'Invalid $skiptoken.');
  const value = rows.slice(offset, offset + top);
  return { value, nextSkip: offset + top < rows.length ? offset + top : undefined };
}

export const skipTokenFor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

/**
 * `$search` on directory objects as Graph documents it: `"prop:term"` clauses (double-quoted, `\"`
 * and `\\` escaped) joined by AND / OR (AND binds tighter). displayName and description are
 * tokenized: every word of the term must start a word of the value; other properties match when
 * the value starts with the term. Case-insensitive. `props` are the searchable properties.
 */
export function parseSearch(input: string, props: readonly string[]): Predicate {
  const clauses: (Predicate | 'AND' | 'OR')[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new ODataError('Request_UnsupportedQuery', 'Syntax error: unterminated quoted string in $search.');
        if (input[i] === '\\' && i + 1 < input.length) {
          text += input[i + 1];
          i += 2;
        } else if (input[i] === '"') {
          i++;
          break;
        } else text += input[i++];
      }
      clauses.push(searchClause(text, props));
    } else {
      const word = /^[A-Za-z]+/.exec(input.slice(i))?.[0];
      if (word !== 'AND' && word !== 'OR') throw new ODataError('Request_UnsupportedQuery', `Syntax error: character '${c}' is not valid at position ${i} in '${input}'.`);
      clauses.push(word);
      i += word.length;
    }
  }
  // clause (op clause)*
  const valid = clauses.length % 2 === 1 && clauses.every((t, n) => (n % 2 === 0 ? typeof t === 'function' : typeof t === 'string'));
  if (!valid) throw new ODataError('Request_UnsupportedQuery', `Syntax error in $search '${input}'.`);
  const ors: Predicate[][] = [[clauses[0] as Predicate]];
  for (let n = 1; n < clauses.length; n += 2) {
    if (clauses[n] === 'OR') ors.push([]);
    ors[ors.length - 1].push(clauses[n + 1] as Predicate);
  }
  return (row) => ors.some((all) => all.every((p) => p(row)));
}

const TOKENIZED = ['displayname', 'description'];
const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function searchClause(text: string, props: readonly string[]): Predicate {
  const colon = text.indexOf(':');
  const name = colon > 0 ? props.find((p) => p.toLowerCase() === text.slice(0, colon).toLowerCase()) : undefined;
  if (!name) throw new ODataError('Request_UnsupportedQuery', `Invalid search property '${colon > 0 ? text.slice(0, colon) : text}'. Use "property:value".`);
  const term = text.slice(colon + 1);
  if (TOKENIZED.includes(name.toLowerCase())) {
    const wanted = words(term);
    return (row) => {
      const have = typeof row[name] === 'string' ? words(row[name] as string) : [];
      return wanted.length > 0 && wanted.every((w) => have.some((h) => h.startsWith(w)));
    };
  }
  const prefix = term.toLowerCase();
  return (row) => typeof row[name] === 'string' && (row[name] as string).toLowerCase().startsWith(prefix);
}

/** `$orderby=prop [asc|desc]` (one property); strings compare case-insensitively, missing values last. */
export function orderRows(rows: Row[], spec: string, props: readonly string[]): Row[] {
  const [prop, direction = 'asc', ...rest] = spec.trim().split(/\s+/);
  const name = props.find((p) => p.toLowerCase() === prop?.toLowerCase());
  if (!name || rest.length || !['asc', 'desc'].includes(direction.toLowerCase())) {
    throw new ODataError('Request_UnsupportedQuery', `Unsupported or invalid $orderby '${spec}'.`);
  }
  const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
  const key = (row: Row) => (typeof row[name] === 'string' ? (row[name] as string).toLowerCase() : row[name]);
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}
