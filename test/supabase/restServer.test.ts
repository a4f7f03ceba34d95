// Unmodified supabase-js against the local stack (scratch PG 15 + PostgREST-subset server), with a
// fixture schema of our own. Proves the test stack behaves like Supabase for what Heal's client uses.
import * as path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from './jwt';
import { startSupabaseStack, testClient, type SupabaseStack } from './stack';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

let stack: SupabaseStack;
let admin: ReturnType<typeof testClient>;
let alice: ReturnType<typeof testClient>;
let bob: ReturnType<typeof testClient>;
let anon: ReturnType<typeof testClient>;

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.pg?.connectionString });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A raw request, for what supabase-js hides (headers, statuses). */
function raw(pathAndQuery: string, init: RequestInit & { token?: string } = {}) {
  const token = init.token ?? stack.anonKey;
  return fetch(`${stack.url}/rest/v1/${pathAndQuery}`, {
    ...init,
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, ...init.headers },
  });
}

beforeAll(async () => {
  stack = await startSupabaseStack({ sqlFiles: [path.join(__dirname, 'fixtures/notes.sql')] });
  admin = testClient(stack, stack.serviceRoleKey);
  alice = testClient(stack, stack.anonKey, stack.userToken(ALICE));
  bob = testClient(stack, stack.anonKey, stack.userToken(BOB));
  anon = testClient(stack);
  const seed = [
    { owner: ALICE, slug: 'a-1', body: 'first', tags: ['x', 'y'], meta: { kind: 'bug', level: 2 }, priority: 3 },
    { owner: ALICE, slug: 'a-2', body: null, tags: ['y'], meta: { kind: 'docs' }, priority: 1 },
    { owner: ALICE, slug: 'a-3', body: 'Third *', tags: [], meta: {}, priority: 2 },
    { owner: BOB, slug: 'b-1', body: 'bob', tags: ['x'], meta: { kind: 'bug' }, priority: 5 },
  ];
  const { error } = await admin.from('notes').insert(seed);
  expect(error).toBeNull();
});

afterAll(async () => {
  await stack?.stop();
});

describe('supabase-js against the local REST stack', () => {
  it('selects with filters, order, limit, count, single and maybeSingle', async () => {
    const list = await alice.from('notes').select('slug, priority').order('priority', { ascending: false }).limit(2);
    expect(list.error).toBeNull();
    expect(list.data).toEqual([
      { slug: 'a-1', priority: 3 },
      { slug: 'a-3', priority: 2 },
    ]);

    const counted = await alice.from('notes').select('slug', { count: 'exact' }).gte('priority', 2).order('slug');
    expect(counted.count).toBe(2);
    expect(counted.data?.map((r) => r.slug)).toEqual(['a-1', 'a-3']);

    const head = await alice.from('notes').select('*', { count: 'exact', head: true });
    expect([head.status, head.count, head.data]).toEqual([200, 3, null]);

    const one = await alice
      .from('notes')
      .select('slug, kind:meta->>kind, level:meta->level, id::text')
      .eq('slug', 'a-1')
      .single();
    expect(one.error).toBeNull();
    expect(one.data).toMatchObject({ slug: 'a-1', kind: 'bug', level: 2 });
    expect(typeof (one.data as { id: unknown }).id).toBe('string');

    const none = await alice.from('notes').select().eq('slug', 'nope').single();
    expect([none.status, none.error?.code]).toEqual([406, 'PGRST116']);
    const many = await alice.from('notes').select().single();
    expect(many.error?.code).toBe('PGRST116');

    expect((await alice.from('notes').select().eq('slug', 'nope').maybeSingle()).data).toBeNull();
    expect((await alice.from('notes').select('slug').eq('slug', 'a-2').maybeSingle()).data).toEqual({ slug: 'a-2' });

    const filtered = await alice
      .from('notes')
      .select('slug')
      .or('priority.gt.2,body.is.null')
      .not('slug', 'eq', 'zzz')
      .in('slug', ['a-1', 'a-2', 'a,b'])
      .order('slug');
    expect(filtered.data).toEqual([{ slug: 'a-1' }, { slug: 'a-2' }]);
    const patterns = await alice.from('notes').select('slug').ilike('body', 'THIRD%').like('slug', 'a-*');
    expect(patterns.data).toEqual([{ slug: 'a-3' }]);
    const contains = await alice.from('notes').select('slug').contains('meta', { kind: 'bug' }).contains('tags', ['x']);
    expect(contains.data).toEqual([{ slug: 'a-1' }]);
    const nested = await alice
      .from('notes')
      .select('slug')
      .or('and(priority.gte.1,priority.lte.1),meta->>kind.eq.bug')
      .order('slug');
    expect(nested.data).toEqual([{ slug: 'a-1' }, { slug: 'a-2' }]);
    const range = await alice.from('notes').select('slug').order('slug', { ascending: false }).range(1, 2);
    expect(range.data).toEqual([{ slug: 'a-2' }, { slug: 'a-1' }]);
    const nulls = await alice.from('notes').select('slug, body').order('body', { nullsFirst: true }).limit(1);
    expect(nulls.data).toEqual([{ slug: 'a-2', body: null }]);
  });

  it('serialises values as PostgreSQL JSON and reports Content-Range', async () => {
    const res = await raw('notes?select=slug,created_at,meta,tags&slug=eq.a-1', {
      token: stack.userToken(ALICE),
      headers: { Prefer: 'count=exact' },
    });
    expect(res.headers.get('content-range')).toBe('0-0/1');
    const [row] = (await res.json()) as { created_at: string; meta: unknown; tags: unknown }[];
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$/);
    expect(row.meta).toEqual({ kind: 'bug', level: 2 });
    expect(row.tags).toEqual(['x', 'y']);
    const empty = await raw('notes?slug=eq.nope', {
      token: stack.userToken(ALICE),
      headers: { Prefer: 'count=exact' },
    });
    expect(empty.headers.get('content-range')).toBe('*/0');
  });

  it('inserts, upserts (merge and ignore), updates and deletes', async () => {
    const inserted = await alice.from('notes').insert({ slug: 'a-new', body: 'n', owner: ALICE });
    expect([inserted.status, inserted.error, inserted.data]).toEqual([201, null, null]);

    const merged = await alice
      .from('notes')
      .upsert({ slug: 'a-new', body: 'merged', owner: ALICE, meta: { v: 2 } }, { onConflict: 'slug' })
      .select('slug, body, meta')
      .single();
    expect(merged.error).toBeNull();
    expect([merged.status, merged.data]).toEqual([201, { slug: 'a-new', body: 'merged', meta: { v: 2 } }]);

    const ignored = await alice
      .from('notes')
      .upsert(
        [
          { slug: 'a-new', body: 'ignored', owner: ALICE },
          { slug: 'a-fresh', owner: ALICE },
        ],
        { onConflict: 'slug', ignoreDuplicates: true },
      )
      .select('slug, body');
    expect(ignored.error).toBeNull();
    expect(ignored.data).toEqual([{ slug: 'a-fresh', body: null }]);
    expect((await alice.from('notes').select('body').eq('slug', 'a-new').single()).data).toEqual({ body: 'merged' });

    const updated = await alice
      .from('notes')
      .update({ body: 'edited', tags: ['z'] })
      .eq('slug', 'a-fresh')
      .select('slug, body, tags');
    expect(updated.data).toEqual([{ slug: 'a-fresh', body: 'edited', tags: ['z'] }]);
    expect((await alice.from('notes').update({ body: 'x' }).eq('slug', 'a-new')).status).toBe(204);

    const deleted = await alice.from('notes').delete().in('slug', ['a-new', 'a-fresh']).select('slug');
    expect(deleted.data?.map((r) => r.slug).sort()).toEqual(['a-fresh', 'a-new']);
    expect(await sql(`select 1 from notes where slug like 'a-new%' or slug = 'a-fresh'`)).toEqual([]);

    const duplicate = await alice.from('notes').insert({ slug: 'a-1', owner: ALICE });
    expect([duplicate.status, duplicate.error?.code]).toEqual([409, '23505']);
    const missing = await alice.from('no_such_table').select();
    expect([missing.status, missing.error?.code]).toEqual([404, '42P01']);
  });

  it('calls rpc functions: scalar, set-returning, table, array/json args, void, raise', async () => {
    expect((await alice.rpc('bump', { p_name: 'rpc' })).data).toBe(1);
    expect((await alice.rpc('bump', { p_name: 'rpc', p_by: 5 })).data).toBe(6);

    const byTag = await alice.rpc('notes_by_tag', { p_tag: 'y' }).select('slug').order('slug', { ascending: false });
    expect(byTag.data).toEqual([{ slug: 'a-2' }, { slug: 'a-1' }]);
    const bobByTag = await bob.rpc('notes_by_tag', { p_tag: 'x' }).select('slug');
    expect(bobByTag.data).toEqual([{ slug: 'b-1' }]);
    const counts = await alice.rpc('tag_counts').eq('tag', 'y');
    expect(counts.data).toEqual([{ tag: 'y', n: 2 }]);
    expect((await alice.rpc('my_slugs', { p_prefix: 'a-' })).data).toEqual(['a-1', 'a-2', 'a-3']);
    expect((await alice.rpc('my_slugs', {}, { get: true })).data).toEqual(['a-1', 'a-2', 'a-3']);
    expect((await alice.rpc('note_stats', { p_ids: [1, 2, 3], p_meta: { a: [1] } })).data).toEqual({
      n: 3,
      meta: { a: [1] },
    });

    const touched = await alice.rpc('touch', { p_slug: 'a-2' });
    expect([touched.status, touched.error, touched.data]).toEqual([204, null, null]);

    const failed = await alice.rpc('fail', { p_message: 'nope' });
    expect([failed.status, failed.error]).toEqual([
      400,
      { code: 'P0001', message: 'nope', details: 'from fixture', hint: 'none' },
    ]);
    const unknown = await alice.rpc('bump', { p_wrong: 1 });
    expect([unknown.status, unknown.error?.code]).toEqual([404, 'PGRST202']);
  });

  it('enforces grants and RLS per role', async () => {
    expect((await anon.from('kinds').select('code').order('weight', { ascending: false })).data).toEqual([
      { code: 'bug' },
      { code: 'docs' },
      { code: 'chore' },
    ]);
    const anonWrite = await anon.from('kinds').insert({ code: 'x', label: 'X' });
    expect([anonWrite.status, anonWrite.error?.code]).toEqual([401, '42501']);
    const userWrite = await alice.from('kinds').insert({ code: 'x', label: 'X' });
    expect([userWrite.status, userWrite.error?.code]).toEqual([403, '42501']);
    expect((await admin.from('kinds').insert({ code: 'x', label: 'X' })).status).toBe(201);

    expect((await anon.from('notes').select()).data).toEqual([]);
    const anonInsert = await anon.from('notes').insert({ slug: 'anon', owner: ALICE });
    expect([anonInsert.status, anonInsert.error?.code]).toEqual([401, '42501']);
    const anonRpc = await anon.rpc('bump', { p_name: 'anon' });
    expect([anonRpc.status, anonRpc.error?.code]).toEqual([401, '42501']);

    expect((await bob.from('notes').select('slug')).data).toEqual([{ slug: 'b-1' }]);
    const spoof = await bob.from('notes').insert({ slug: 'b-spoof', owner: ALICE });
    expect(spoof.error?.code).toBe('42501');
    const steal = await bob.from('notes').update({ body: 'mine' }).eq('slug', 'a-1').select();
    expect([steal.error, steal.data]).toEqual([null, []]);
    expect((await sql<{ body: string }>(`select body from notes where slug = 'a-1'`))[0].body).toBe('first');
    expect((await admin.from('notes').select('slug', { count: 'exact', head: true })).count).toBe(4);
  });

  it('rejects forged, expired and malformed tokens with 401', async () => {
    const forged = testClient(stack, signJwt({ role: 'service_role' }, 'not-the-secret-not-the-secret-not-the-se'));
    const f = await forged.from('kinds').select();
    expect([f.status, f.error?.code]).toEqual([401, 'PGRST301']);

    const expired = testClient(
      stack,
      stack.anonKey,
      stack.userToken(ALICE, { exp: Math.floor(Date.now() / 1000) - 120 }),
    );
    const e = await expired.from('notes').select();
    expect([e.status, e.error?.code, e.error?.message]).toEqual([401, 'PGRST303', 'JWT expired']);

    const malformed = await raw('kinds', { token: 'garbage' });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { code: string }).code).toBe('PGRST301');
    const badRole = await raw('kinds', { token: signJwt({ role: 'postgres' }, stack.jwtSecret ?? '') });
    expect(badRole.status).toBe(401);
  });

  it('keeps 20 concurrent rpc increments exact', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => alice.rpc('bump', { p_name: 'race' })));
    expect(results.map((r) => r.error)).toEqual(Array(20).fill(null));
    expect(results.map((r) => r.data as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('answers unsupported requests with PostgREST-style 4xx/501 errors', async () => {
    const embed = await alice.from('notes').select('slug, kinds(*)');
    expect([embed.status, embed.error?.code]).toEqual([501, 'PGRST127']);
    const op = await alice.from('notes').select().filter('slug', 'nosuchop', 'x');
    expect([op.status, op.error?.code]).toEqual([400, 'PGRST100']);
    const csv = await alice.from('notes').select().csv();
    expect(csv.status).toBe(406);
    for (const [where, init] of [
      ['', {}],
      ['notes?slug=eq.a-1', { method: 'PUT', body: '{}' }],
      ['notes?select=slug&kinds.order=code', {}],
    ] as const) {
      const res = await raw(where, init);
      expect(res.status, where).toBe(501);
      expect(Object.keys((await res.json()) as object).sort()).toEqual(['code', 'details', 'hint', 'message']);
    }
    const badJson = await raw('notes', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } });
    expect(badJson.status).toBe(400);
    const injection = await alice.from('notes').select('slug').eq('slug', "a-1'; drop table notes; --");
    expect(injection.data).toEqual([]);
    const evilColumn = await alice
      .from('notes')
      .select('slug')
      .eq('"slug"; drop table notes; --' as 'slug', 'x');
    expect(evilColumn.error).not.toBeNull();
    expect(await sql(`select count(*)::int as n from notes`)).toEqual([{ n: 4 }]);
  });

  it('answers 503 quickly while PostgreSQL is down and recovers when it is back', async (ctx) => {
    if (!stack.pg) return ctx.skip();
    expect((await alice.rpc('bump', { p_name: 'durable' })).data).toBe(1); // committed just before the outage
    await stack.pg.stop();
    try {
      const started = Date.now();
      const read = await alice.from('notes').select('slug').retry(false);
      expect([read.status, read.error?.code]).toEqual([503, 'PGRST000']);
      const write = await alice.rpc('bump', { p_name: 'down' });
      expect(write.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await stack.pg.start();
    }
    const back = await alice.from('notes').select('slug').eq('slug', 'a-1').retry(false);
    expect([back.error, back.data]).toEqual([null, [{ slug: 'a-1' }]]);
    expect((await alice.rpc('bump', { p_name: 'down' })).data).toBe(1);
    expect((await alice.rpc('bump', { p_name: 'durable' })).data).toBe(2);
  });
});
