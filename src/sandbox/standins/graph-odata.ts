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
