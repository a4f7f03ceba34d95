// A PostgREST-compatible subset for tests, served at <url>/rest/v1 like Supabase's gateway does.
// PostgREST cannot be installed here, so this stands in for the HTTP layer only: every request runs
// as the JWT's role inside real PostgreSQL, so grants, RLS, functions and constraints are the real ones.
// All user values travel as bind parameters; identifiers are double-quoted; type names come from the
// catalog or a strict pattern.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { verifyJwt, type JwtClaims } from './jwt';

export interface RestServerOptions {
  connectionString: string;
  jwtSecret: string;
  port?: number;
  /** Schemas clients may pick with Accept-Profile/Content-Profile; the first is the default. */
  schemas?: string[];
  /** Appended to the search path of every request, like PostgREST's db-extra-search-path. */
  extraSearchPath?: string[];
  /** Sent as Retry-After on 503s; postgrest-js then retries reads after that many seconds instead of 1/2/4 s. */
  retryAfterSeconds?: number;
}

export interface RestServer {
  url: string;
  stop(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Reply = { status: number; body?: string; headers?: Record<string, string> };
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}
const badRequest = (message: string, details: string | null = null) => new HttpError(400, 'PGRST100', message, details);
// Features real PostgREST has but this server does not: 501, so a test fails loudly instead of silently differing.
const notImplemented = (what: string) =>
  new HttpError(
    501,
    'PGRST127',
    `${what} is not implemented by the test REST server`,
    null,
    'See test/supabase/restServer.ts',
  );

const ident = (name: string) => {
  if (!name || name.includes('\0')) throw badRequest(`invalid identifier "${name}"`);
  return `"${name.replace(/"/g, '""')}"`;
};

/** Bind-parameter collector: each value becomes $n and is sent untyped, so PostgreSQL infers its type. */
class Sql {
  readonly params: string[] = [];
  param(value: string, cast?: 'text' | 'int' | 'json' | 'regconfig'): string {
    this.params.push(value);
    return `$${this.params.length}${cast ? `::${cast}` : ''}`;
  }
}

/** Split on `sep` outside double quotes and parentheses. */
function splitTop(text: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

const unquote = (s: string) => (/^".*"$/s.test(s) ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);
const identList = (raw: string) => splitTop(raw).map((c) => ident(unquote(c.trim())));

/** `col`, `"my col"`, `data->key->>leaf`, `arr->0`: SQL expression and the output name PostgREST uses. */
function field(raw: string, sql: Sql): { expr: string; name: string } {
  const m = /^(?:"((?:[^"]|"")+)"|([\p{L}\p{N}_$]+))((?:->>?.+)*)$/u.exec(raw);
  if (!m) throw badRequest(`failed to parse field "${raw}"`);
  const column = m[1]?.replace(/""/g, '"') ?? m[2];
  let expr = ident(column);
  let name = column;
  const path = m[3].split(/(->>?)/).slice(1);
  for (let i = 0; i < path.length; i += 2) {
    const key = unquote(path[i + 1]);
    if (!key) throw badRequest(`failed to parse json path in "${raw}"`);
    expr = `${expr}${path[i]}${/^-?\d+$/.test(key) ? sql.param(key, 'int') : sql.param(key, 'text')}`;
    name = key;
  }
  return { expr, name };
}

function selectList(raw: string | null, sql: Sql): string {
  const items = splitTop(raw ?? '*').filter((s) => s !== '');
  if (items.length === 0) return '*';
  return items
    .map((item) => {
      if (item === '*') return '*';
      if (item.includes('(') || item.startsWith('...'))
        throw notImplemented(`Resource embedding or aggregates ("${item}")`);
      const alias = /^("(?:[^"]|"")*"|[^:"]+):(?!:)/.exec(item);
      let rest = alias ? item.slice(alias[0].length) : item;
      let cast = '';
      const castAt = rest.lastIndexOf('::');
      if (castAt > 0) {
        const type = rest.slice(castAt + 2);
        if (!/^[A-Za-z_][A-Za-z0-9_]*(\[\])?$/.test(type)) throw badRequest(`invalid cast "${type}"`);
        cast = `::${type}`;
        rest = rest.slice(0, castAt);
      }
      const f = field(rest, sql);
      const name = alias ? unquote(alias[1]) : f.name;
      return `${cast ? `(${f.expr})${cast}` : f.expr} as ${ident(name)}`;
    })
    .join(', ');
}

const COMPARE: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const PATTERN: Record<string, string> = { like: 'like', ilike: 'ilike', match: '~', imatch: '~*' };
const RANGE: Record<string, string> = {
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
};
const FTS: Record<string, string> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
};

/** One `column=op.value` filter (also used inside `or=(...)` trees, where values may be double-quoted). */
function filter(column: string, opValue: string, sql: Sql, inTree: boolean): string {
  const negate = opValue.startsWith('not.');
  const m = /^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/.exec(negate ? opValue.slice(4) : opValue);
  if (!m) throw badRequest(`"failed to parse filter (${opValue})" (line 1, column 1)`);
  const [, op, modifier, rawValue] = m;
  const f = field(column, sql).expr;
  const value = inTree ? unquote(rawValue) : rawValue;
  const likeValue = op === 'like' || op === 'ilike' ? value.replace(/\*/g, '%') : value;
  let cond: string;
  if (COMPARE[op] || PATTERN[op]) {
    const sqlOp = COMPARE[op] ?? PATTERN[op];
    if (modifier === 'any' || modifier === 'all') cond = `${f} ${sqlOp} ${modifier}(${sql.param(likeValue)})`;
    else if (modifier) throw badRequest(`unknown modifier "${modifier}"`);
    else cond = `${f} ${sqlOp} ${sql.param(likeValue)}`;
  } else if (op === 'in') {
    const list = /^\((.*)\)$/s.exec(value);
    if (!list) throw badRequest(`"failed to parse filter (${opValue})"`, 'in. needs a parenthesised list');
    const values = list[1] === '' ? [] : splitTop(list[1]).map((v) => unquote(v.trim()));
    cond = values.length ? `${f} in (${values.map((v) => sql.param(v)).join(', ')})` : 'false';
  } else if (op === 'is') {
    const keyword = { null: 'null', not_null: 'not null', true: 'true', false: 'false', unknown: 'unknown' }[
      value.toLowerCase()
    ];
    if (!keyword)
      throw badRequest(`"failed to parse filter (${opValue})"`, 'is. accepts null, not_null, true, false, unknown');
    cond = `${f} is ${keyword}`;
  } else if (op === 'isdistinct') {
    cond = `${f} is distinct from ${sql.param(value)}`;
  } else if (RANGE[op]) {
    cond = `${f} ${RANGE[op]} ${sql.param(value)}`;
  } else if (FTS[op]) {
    const config = modifier ? `${sql.param(modifier, 'regconfig')}, ` : '';
    cond = `${f} @@ ${FTS[op]}(${config}${sql.param(value, 'text')})`;
  } else {
    throw badRequest(`unknown operator "${op}"`, `in filter ${column}=${opValue}`);
  }
  return negate ? `not (${cond})` : cond;
}

/** `(a.eq.1,or(b.gt.2,not.c.is.null))` as used by `or=`, `and=`, `not.or=`. */
function logicTree(raw: string, joiner: 'and' | 'or', negate: boolean, sql: Sql): string {
  const inner = /^\((.*)\)$/s.exec(raw);
  if (!inner) throw badRequest(`"failed to parse logic tree (${raw})"`);
  const parts = splitTop(inner[1]).map((item) => {
    const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(item);
    if (nested) return logicTree(nested[3], nested[2] as 'and' | 'or', Boolean(nested[1]), sql);
    const dot = item.startsWith('"') ? item.indexOf('"', 1) + 1 : item.indexOf('.');
    if (dot <= 0 || item[dot] !== '.') throw badRequest(`"failed to parse logic tree (${raw})"`);
    return filter(item.slice(0, dot), item.slice(dot + 1), sql, true);
  });
  const joined = `(${parts.join(` ${joiner} `)})`;
  return negate ? `not ${joined}` : joined;
}

const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);

function whereClause(query: URLSearchParams, sql: Sql, skip: ReadonlySet<string> = new Set()): string {
  const conds: string[] = [];
  for (const [key, value] of query) {
    if (RESERVED.has(key) || skip.has(key)) continue;
    const tree = /^(not\.)?(and|or)$/.exec(key);
    if (tree) conds.push(logicTree(value, tree[2] as 'and' | 'or', Boolean(tree[1]), sql));
    else if (key.includes('.')) throw notImplemented(`Filters, order or limits on embedded resources ("${key}")`);
    else conds.push(filter(key, value, sql, false));
  }
  return conds.length ? ` where ${conds.join(' and ')}` : '';
}

function orderClause(raw: string | null, sql: Sql): string {
  if (!raw) return '';
  const terms = splitTop(raw).map((term) => {
    const m = /^(.+?)(?:\.(asc|desc))?(?:\.(nullsfirst|nullslast))?$/.exec(term);
    if (!m) throw badRequest(`failed to parse order (${raw})`);
    const nulls = m[3] ? ` nulls ${m[3] === 'nullsfirst' ? 'first' : 'last'}` : '';
    return `${field(m[1], sql).expr} ${m[2] ?? 'asc'}${nulls}`;
  });
  return ` order by ${terms.join(', ')}`;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`"${name}" must be a non-negative integer`);
  return Number(raw);
}

interface RequestShape {
  single: boolean;
  strip: boolean;
  count: boolean;
  prefer: Map<string, string>;
}

const rowJson = (strip: boolean) => (strip ? 'json_strip_nulls(to_json(_t))' : '_t');
const tooMany = (n: number) =>
  new HttpError(
    406,
    'PGRST116',
    'JSON object requested, multiple (or no) rows returned',
    `The result contains ${n} rows`,
  );

/** SELECT over a table/view or a set-returning function call, with PostgREST's select/filter/order/range. */
async function readRows(
  client: pg.PoolClient,
  from: (sql: Sql) => string,
  query: URLSearchParams,
  shape: RequestShape,
  skip?: ReadonlySet<string>,
): Promise<Reply> {
  const sql = new Sql();
  const source = from(sql);
  const limit = intParam(query, 'limit');
  const offset = intParam(query, 'offset') ?? 0;
  const text =
    `select coalesce(json_agg(${rowJson(shape.strip)}), '[]')::text as body, count(*)::int as n from (` +
    `select ${selectList(query.get('select'), sql)} from ${source}${whereClause(query, sql, skip)}` +
    `${orderClause(query.get('order'), sql)}${limit === undefined ? '' : ` limit ${limit}`}${offset ? ` offset ${offset}` : ''}) _t`;
  const { rows } = await client.query<{ body: string; n: number }>(text, sql.params);
  const { body, n } = rows[0];
  let total: number | undefined;
  if (shape.count) {
    const countSql = new Sql();
    const countText = `select count(*)::int as total from ${from(countSql)}${whereClause(query, countSql, skip)}`;
    total = (await client.query<{ total: number }>(countText, countSql.params)).rows[0].total;
  }
  if (shape.single && n !== 1) throw tooMany(n);
  const range = `${n ? `${offset}-${offset + n - 1}` : '*'}/${total ?? '*'}`;
  const partial = total !== undefined && n < total;
  return {
    status: partial && !shape.single ? 206 : 200,
    body: shape.single ? body.slice(1, -1) : body,
    headers: { 'Content-Range': range },
  };
}

function jsonBody(body: Json | undefined): Record<string, Json>[] {
  const rows = Array.isArray(body) ? body : [body];
  if (body === undefined || !rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new HttpError(400, 'PGRST102', 'Empty or invalid json');
  }
  return rows as Record<string, Json>[];
}

async function primaryKey(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ attname: string }>(
    `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = to_regclass($1) and i.indisprimary order by array_position(i.indkey, a.attnum)`,
    [table],
  );
  return rows.map((r) => r.attname);
}

/** INSERT (incl. upsert), UPDATE, DELETE with PostgREST's Prefer semantics. */
async function mutate(
  client: pg.PoolClient,
  method: 'POST' | 'PATCH' | 'DELETE',
  table: string,
  query: URLSearchParams,
  body: Json | undefined,
  shape: RequestShape,
): Promise<Reply & { n: number }> {
  const sql = new Sql();
  let stmt: string;
  if (method === 'POST') {
    const rows = jsonBody(body);
    const columnsParam = query.get('columns');
    const names = columnsParam
      ? splitTop(columnsParam).map((c) => unquote(c.trim()))
      : [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cols = names.map(ident);
    if (cols.length === 0) {
      if (rows.length !== 1) throw badRequest('cannot insert several rows without columns');
      stmt = `insert into ${table} default values`;
    } else if (shape.prefer.get('missing') === 'default') {
      // Missing keys take the column DEFAULT: one VALUES row per object, DEFAULT where a key is absent.
      const values = rows.map((row) => {
        const p = sql.param(JSON.stringify(row), 'json');
        return `(${names.map((n, i) => (n in row ? `(json_populate_record(null::${table}, ${p})).${cols[i]}` : 'default')).join(', ')})`;
      });
      stmt = `insert into ${table} (${cols.join(', ')}) values ${values.join(', ')}`;
    } else {
      // Like PostgREST: PG's own json → row conversion, so jsonb, arrays and timestamps parse as they would there.
      const source = `json_populate_recordset(null::${table}, ${sql.param(JSON.stringify(rows), 'json')})`;
      stmt = `insert into ${table} (${cols.join(', ')}) select ${cols.join(', ')} from ${source}`;
    }
    const resolution = shape.prefer.get('resolution');
    if (resolution === 'merge-duplicates' || resolution === 'ignore-duplicates') {
      const onConflict = query.get('on_conflict');
      const target = onConflict ? identList(onConflict) : (await primaryKey(client, table)).map(ident);
      if (resolution === 'ignore-duplicates')
        stmt += ` on conflict ${target.length ? `(${target.join(', ')}) ` : ''}do nothing`;
      else if (!target.length) throw badRequest('merge-duplicates needs on_conflict or a primary key');
      else if (!cols.length) stmt += ` on conflict (${target.join(', ')}) do nothing`;
      else
        stmt += ` on conflict (${target.join(', ')}) do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    }
  } else {
    if (query.has('limit') || query.has('offset')) throw notImplemented('limit/offset on PATCH and DELETE');
    if (method === 'PATCH') {
      const [row] = jsonBody(body);
      if (Array.isArray(body)) throw notImplemented('Bulk PATCH with an array body');
      const cols = Object.keys(row).map(ident);
      if (cols.length === 0) {
        const representation = shape.prefer.get('return') === 'representation';
        return { status: representation ? 200 : 204, body: representation ? '[]' : undefined, n: 0 };
      }
      const source = `json_populate_record(null::${table}, ${sql.param(JSON.stringify(row), 'json')})`;
      stmt = `update ${table} set (${cols.join(', ')}) = (select ${cols.join(', ')} from ${source})`;
    } else {
      stmt = `delete from ${table}`;
    }
    stmt += whereClause(query, sql);
  }

  const representation = shape.prefer.get('return') === 'representation';
  let n: number;
  let out: string | undefined;
  if (representation) {
    // RETURNING only when rows are wanted: it makes RLS SELECT policies apply, as in PostgREST.
    const text =
      `with _m as (${stmt} returning *) select coalesce(json_agg(${rowJson(shape.strip)}), '[]')::text as body, ` +
      `count(*)::int as n from (select ${selectList(query.get('select'), sql)} from _m) _t`;
    const { rows } = await client.query<{ body: string; n: number }>(text, sql.params);
    ({ body: out, n } = rows[0]);
  } else {
    n = (await client.query(stmt, sql.params)).rowCount ?? 0;
  }
  if (shape.single && n !== 1) throw tooMany(n);
  const headers: Record<string, string> = {
    'Content-Range': `${n && !shape.count ? `0-${n - 1}` : '*'}/${shape.count ? n : '*'}`,
  };
  const status = method === 'POST' ? 201 : representation ? 200 : 204;
  return {
    status,
    n,
    headers,
    body: representation && out !== undefined ? (shape.single ? out.slice(1, -1) : out) : undefined,
  };
}

interface FunctionInfo {
  args: { name: string; type: string }[];
  required: number;
  retset: boolean;
  kind: 'void' | 'scalar' | 'composite';
}

async function findFunction(client: pg.PoolClient, schema: string, name: string, given: string[], isGet: boolean) {
  const { rows } = await client.query<{
    names: string[] | null;
    modes: string[] | null;
    types: string[];
    ndefaults: number;
    retset: boolean;
    rettype: string;
    composite: boolean;
  }>(
    `select p.proargnames as names, p.proargmodes::text[] as modes,
            array(select format_type(t, null) from unnest(p.proargtypes) t) as types,
            p.pronargdefaults as ndefaults, p.proretset as retset, p.prorettype::regtype::text as rettype,
            (rt.typrelid <> 0 or (p.prorettype = 'record'::regtype and p.proargmodes::text[] && '{o,b,t}')) as composite
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type rt on rt.oid = p.prorettype
      where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`,
    [schema, name],
  );
  const candidates = rows.map((r): FunctionInfo => {
    // proargtypes lists only input arguments; proargnames/modes list all, so keep the input ones.
    const inNames = (r.names ?? []).filter((_, i) => !r.modes || ['i', 'b', 'v'].includes(r.modes[i]));
    const args = r.types.map((type, i) => ({ name: inNames[i] ?? '', type }));
    const kind = r.rettype === 'void' ? 'void' : r.composite ? 'composite' : 'scalar';
    return { args, required: args.length - r.ndefaults, retset: r.retset, kind };
  });
  const fits = (f: FunctionInfo, names: string[]) =>
    names.every((g) => f.args.some((a) => a.name === g)) &&
    f.args.slice(0, f.required).every((a) => names.includes(a.name));
  // For GET, query keys that are not arguments are filters; prefer the overload that uses the most keys.
  const matches = candidates
    .map((f) => ({ f, used: isGet ? given.filter((g) => f.args.some((a) => a.name === g)) : given }))
    .filter(({ f, used }) => fits(f, used))
    .sort((a, b) => b.used.length - a.used.length);
  if (matches.length === 0) {
    throw new HttpError(
      404,
      'PGRST202',
      `Could not find the function ${schema}.${name}(${given.join(', ')}) in the schema cache`,
      `Searched for the function ${schema}.${name} with parameters ${given.join(', ') || 'none'}`,
    );
  }
  if (matches.length > 1 && matches[0].used.length === matches[1].used.length) {
    throw new HttpError(300, 'PGRST203', `Could not choose the best candidate function for ${schema}.${name}`);
  }
  return matches[0];
}

async function callFunction(
  client: pg.PoolClient,
  schema: string,
  name: string,
  method: string,
  query: URLSearchParams,
  body: Json | undefined,
  shape: RequestShape,
): Promise<Reply> {
  const isGet = method === 'GET' || method === 'HEAD';
  let args: Record<string, Json>;
  if (isGet) {
    args = Object.fromEntries([...query].filter(([k]) => !RESERVED.has(k)));
  } else if (body === undefined || body === null) {
    args = {};
  } else if (typeof body === 'object' && !Array.isArray(body)) {
    args = body;
  } else {
    throw new HttpError(400, 'PGRST102', 'Empty or invalid json');
  }
  const { f, used } = await findFunction(client, schema, name, Object.keys(args), isGet);
  const fn = `${ident(schema)}.${ident(name)}`;
  // Each argument is converted by PG from JSON to the parameter's declared type, as PostgREST does.
  const call = (sql: Sql) => {
    if (used.length === 0) return `${fn}()`;
    const payload = sql.param(JSON.stringify(Object.fromEntries(used.map((k) => [k, args[k]]))), 'json');
    const types = f.args.filter((a) => used.includes(a.name));
    const record = `json_to_record(${payload}) as _a(${types.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`;
    return `${fn}(${types.map((a) => `${ident(a.name)} => (select ${ident(a.name)} from ${record})`).join(', ')})`;
  };
  const skip = new Set(used);
  if (f.kind === 'composite') {
    const reply = await readRows(
      client,
      (sql) => `${call(sql)} as _f`,
      query,
      { ...shape, single: shape.single || !f.retset },
      skip,
    );
    return reply;
  }
  if (f.retset) {
    const sql = new Sql();
    const limit = intParam(query, 'limit');
    const text =
      `select coalesce(json_agg(_t.v), '[]')::text as body, count(*)::int as n from ` +
      `(select v from ${call(sql)} as _f(v)${limit === undefined ? '' : ` limit ${limit}`}) _t`;
    const { rows } = await client.query<{ body: string; n: number }>(text, sql.params);
    if (shape.single && rows[0].n !== 1) throw tooMany(rows[0].n);
    return { status: 200, body: shape.single ? rows[0].body.slice(1, -1) : rows[0].body };
  }
  const sql = new Sql();
  if (f.kind === 'void') {
    await client.query(`select ${call(sql)}`, sql.params);
    return { status: 204 }; // PostgREST 12+: a void function answers 204 No Content
  }
  const { rows } = await client.query<{ body: string | null }>(
    `select to_json(${call(sql)})::text as body`,
    sql.params,
  );
  return { status: 200, body: rows[0].body ?? 'null' };
}

const CONNECTION_CODES = /^(08|57P0|53300$|E[A-Z]+$)/;
function isConnectionError(error: unknown): boolean {
  if (error instanceof HttpError) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return CONNECTION_CODES.test(code);
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    String(error),
  );
}

/** PostgREST's SQLSTATE → HTTP status table (raise with SQLSTATE 'PT404' etc. picks the status). */
function pgStatus(code: string, role: string): number {
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom) return Number(custom[1]);
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === '42P01' || code === '42883') return 404;
  if (code === '25006') return 405; // write in a read-only (GET) transaction
  if (code === 'P0001' || /^(22|23|42)/.test(code)) return 400;
  if (/^(28|0L|0P)/.test(code)) return 403;
  if (/^(08|53)/.test(code)) return 503;
  if (/^(09|2[05]|2D|3[89]|3B|40|5[4-8]|F0|HV|P0|XX)/.test(code)) return 500;
  return 400;
}

function toHttpError(error: unknown, role: string): HttpError {
  if (error instanceof HttpError) return error;
  if (isConnectionError(error)) {
    return new HttpError(
      503,
      'PGRST000',
      'Could not connect with the database',
      String((error as Error).message ?? error),
    );
  }
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return new HttpError(pgStatus(code, role), code, error.message, error.detail ?? null, error.hint ?? null);
  }
  return new HttpError(500, 'PGRST000', `test REST server bug: ${String(error)}`);
}

function parseAccept(accept: string | undefined): { single: boolean; strip: boolean } {
  const value = (accept ?? '*/*').toLowerCase();
  const strip = value.includes('nulls=stripped');
  if (value.includes('application/vnd.pgrst.object+json')) return { single: true, strip };
  const ok = value
    .split(',')
    .map((t) => t.split(';')[0].trim())
    .some((t) => ['*/*', 'application/*', 'application/json', 'application/vnd.pgrst.array+json', ''].includes(t));
  if (!ok) throw new HttpError(406, 'PGRST107', `None of these media types are available: ${value}`);
  return { single: false, strip };
}

function authenticate(req: IncomingMessage, secret: string): { role: string; claims: JwtClaims } {
  const header = req.headers.authorization;
  const apikey = req.headers.apikey;
  let token: string | undefined;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new HttpError(401, 'PGRST301', 'Expected Authorization: Bearer <token>');
    token = m[1];
  } else if (typeof apikey === 'string' && apikey) {
    token = apikey; // Kong would accept the apikey alone; PostgREST never sees it. Keep the role it carries.
  }
  if (!token) return { role: 'anon', claims: { role: 'anon' } };
  const verdict = verifyJwt(token, secret);
  if (!verdict.ok) throw new HttpError(401, verdict.code, verdict.message);
  const role = typeof verdict.claims.role === 'string' ? verdict.claims.role : 'anon';
  if (!API_ROLES.has(role)) throw new HttpError(401, 'PGRST301', `role "${role}" is not allowed`);
  return { role, claims: verdict.claims };
}

async function readBody(req: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 << 20) throw new HttpError(413, 'PGRST102', 'Request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new HttpError(400, 'PGRST102', 'Empty or invalid json');
  }
}

export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const schemas = options.schemas ?? ['public'];
  const extra = options.extraSearchPath ?? ['extensions'];
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
  });
  // Idle connections die when PostgreSQL stops; without a listener that error would crash the test process.
  pool.on('error', () => undefined);

  async function transaction(
    ctx: { role: string; claims: JwtClaims; req: IncomingMessage; path: string; schema: string },
    readOnly: boolean,
    work: (client: pg.PoolClient) => Promise<{ reply: Reply; commit: boolean }>,
  ): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const client = await pool.connect();
      const onError = () => undefined; // a checked-out client's socket may die between queries
      client.on('error', onError);
      let began = false;
      try {
        await client.query(readOnly ? 'begin read only' : 'begin');
        began = true;
        const searchPath = [ctx.schema, ...extra].map(ident).join(', ');
        await client.query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                  set_config('request.method', $3, true), set_config('request.path', $4, true),
                  set_config('request.headers', $5, true), set_config('search_path', $6, true)`,
          [
            ctx.role,
            JSON.stringify(ctx.claims),
            ctx.req.method ?? '',
            ctx.path,
            JSON.stringify(ctx.req.headers),
            searchPath,
          ],
        );
        const { reply, commit } = await work(client);
        await client.query(commit ? 'commit' : 'rollback');
        client.removeListener('error', onError);
        client.release();
        return reply;
      } catch (error) {
        const broken = isConnectionError(error);
        const clean =
          !broken &&
          (await client.query('rollback').then(
            () => true,
            () => false,
          ));
        client.removeListener('error', onError);
        client.release(clean ? undefined : error instanceof Error ? error : new Error(String(error)));
        // A pooled connection that died with the last server: retry once on a fresh one, nothing ran yet.
        if (broken && !began && attempt === 0) continue;
        throw error;
      }
    }
  }

  /** `seen` tells the error path what was learnt before failing (role for 401 vs 403, object vs array). */
  async function handle(req: IncomingMessage, seen: { role: string; single: boolean }): Promise<Reply> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/rest\/v1\/(?:(rpc)\/)?([^/]+)\/?$/.exec(url.pathname);
    if (!m) {
      if (/^\/rest\/v1\/?$/.test(url.pathname)) throw notImplemented('The OpenAPI root');
      throw notImplemented(`${method} ${url.pathname}`);
    }
    const isRpc = Boolean(m[1]);
    let name: string;
    try {
      name = decodeURIComponent(m[2]);
    } catch {
      throw badRequest(`invalid path ${url.pathname}`);
    }
    const allowed = isRpc ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
    if (!allowed.includes(method)) throw notImplemented(`${method} on ${isRpc ? 'rpc' : 'tables'}`);
    const { role, claims } = authenticate(req, options.jwtSecret);
    seen.role = role;
    const readOnly = method === 'GET' || method === 'HEAD';
    const profile = req.headers[readOnly ? 'accept-profile' : 'content-profile'];
    const schema = typeof profile === 'string' && profile ? profile : schemas[0];
    if (!schemas.includes(schema)) {
      throw new HttpError(406, 'PGRST106', `The schema must be one of the following: ${schemas.join(', ')}`);
    }
    const prefer = new Map(
      [req.headers.prefer ?? '']
        .flat()
        .join(',')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p): [string, string] => [p.split('=')[0], p.split('=').slice(1).join('=')]),
    );
    if (prefer.get('count') === 'planned' || prefer.get('count') === 'estimated')
      throw notImplemented('count=planned/estimated');
    const shape: RequestShape = { ...parseAccept(req.headers.accept), count: prefer.get('count') === 'exact', prefer };
    seen.single = shape.single;
    const body = readOnly ? undefined : await readBody(req);
    const table = `${ident(schema)}.${ident(name)}`;
    return transaction({ role, claims, req, path: url.pathname, schema }, readOnly, async (client) => {
      let reply: Reply;
      let n: number | undefined;
      if (isRpc) reply = await callFunction(client, schema, name, method, url.searchParams, body, shape);
      else if (readOnly) reply = await readRows(client, () => table, url.searchParams, shape);
      else
        ({ n, ...reply } = await mutate(
          client,
          method as 'POST' | 'PATCH' | 'DELETE',
          table,
          url.searchParams,
          body,
          shape,
        ));
      const max = Number(prefer.get('max-affected'));
      if (n !== undefined && prefer.get('handling') === 'strict' && Number.isFinite(max) && n > max) {
        throw new HttpError(
          400,
          'PGRST124',
          'Query result exceeds max-affected preference constraint',
          `The query affects ${n} rows`,
        );
      }
      return { reply, commit: prefer.get('tx') !== 'rollback' };
    });
  }

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply, single: boolean): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined) {
      headers['Content-Type'] = `${single ? 'application/vnd.pgrst.object+json' : 'application/json'}; charset=utf-8`;
    }
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }

  const server = createServer((req, res) => {
    const seen = { role: 'anon', single: false };
    handle(req, seen).then(
      (reply) => send(req, res, reply, seen.single && reply.status < 300),
      (error: unknown) => {
        const e = toHttpError(error, seen.role);
        const headers: Record<string, string> = {};
        if (e.status === 401)
          headers['WWW-Authenticate'] =
            `Bearer error="invalid_token", error_description="${e.message.replace(/"/g, "'")}"`;
        if (e.status === 503 && options.retryAfterSeconds !== undefined)
          headers['Retry-After'] = String(options.retryAfterSeconds);
        const body = JSON.stringify({ code: e.code, details: e.details, hint: e.hint, message: e.message });
        req.resume(); // drain an unread body so the socket can be reused
        send(req, res, { status: e.status, body, headers }, false);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await pool.end().catch(() => undefined);
      })();
      return stopped;
    },
  };
}
