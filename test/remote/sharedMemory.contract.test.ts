// The shared memory against real PostgreSQL with our migrations behind a PostgREST-compatible layer (or a real
// Supabase project when SUPABASE_* is set): RLS, atomic idempotent RPCs, lookup order, offline queue through an
// outage, cache warming, daily cost limit, the team's breaker and diagnostic reports.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import type { ErrorEvent } from '../../shared/detect/detector';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { lookupRun } from '../../shared/lookup/lookup';
import { remoteCache } from '../../shared/remote/cacheWarming';
import { CostMeter, dailyCosts } from '../../shared/remote/costMeter';
import { pendingWrites, remoteQueue } from '../../shared/remote/offlineQueue';
import { RemoteError } from '../../shared/remote/remoteError';
import { RemoteStore } from '../../shared/remote/remoteStore';
import { remoteReportSink } from '../../shared/remote/reportSink';
import type { RemoteSettings } from '../../shared/remote/settings';
import { SharedMemory } from '../../shared/remote/sharedMemory';
import { recordOutcome } from '../../shared/learn/outcome';
import { LocalStore } from '../../shared/store/localStore';
import { recordRun } from '../../shared/store/patterns';
import { signJwt } from '../supabase/jwt';
import { startSupabaseStack, testClient, type SupabaseStack } from '../supabase/stack';

const MIGRATIONS = path.resolve(__dirname, '../../supabase/migrations');
const ALICE = randomUUID();
const BOB = randomUUID();
const ALPHA = `alpha-${Date.now()}`;
const BETA = `beta-${Date.now()}`;

let stack: SupabaseStack;
const dirs: string[] = [];

async function tempStore(): Promise<LocalStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'heal-remote-'));
  dirs.push(dir);
  return new LocalStore(path.join(dir, '.heal'));
}

function settings(over: Partial<RemoteSettings> = {}): RemoteSettings {
  return {
    url: stack.url,
    anonKey: stack.anonKey,
    accessToken: stack.userToken(ALICE),
    project: ALPHA,
    dailyLimit: 10_000,
    timeoutMs: 2000,
    ...over,
  };
}

async function remoteFor(over: Partial<RemoteSettings> = {}, store?: LocalStore): Promise<RemoteStore> {
  const s = settings(over);
  return RemoteStore.connect(s, new CostMeter(store ?? (await tempStore()), s.dailyLimit));
}

function tscEvents(name: string, count = 1): ErrorEvent[] {
  const text = Array.from(
    { length: count },
    (_, i) => `src/a.ts(${i + 3},10): error TS2304: Cannot find name '${name}'.\n`,
  ).join('');
  return scanText(text).events;
}

function upload(e: ErrorEvent, key = randomUUID(), count = 1) {
  return {
    key,
    fingerprint: e.fingerprint,
    coarseFingerprint: e.coarseFingerprint,
    tool: e.tool,
    category: e.category,
    message: e.message,
    count,
    seenAt: new Date().toISOString(),
  };
}

async function occurrenceCount(project: string, fingerprint: string): Promise<number> {
  const { data, error } = await testClient(stack, stack.serviceRoleKey)
    .from('error_patterns')
    .select('occurrence_count')
    .eq('project_id', project)
    .eq('fingerprint', fingerprint);
  if (error) throw new Error(error.message);
  return data.length ? Number(data[0].occurrence_count) : 0;
}

const fix = { id: 'fix-declare-foo', kind: 'command' as const, command: 'npm install foo', description: 'Install foo' };

beforeAll(async () => {
  stack = await startSupabaseStack({ migrationsDir: MIGRATIONS });
  const admin = testClient(stack, stack.serviceRoleKey);
  for (const [table, rows] of [
    ['projects', [{ id: ALPHA }, { id: BETA }]],
    [
      'project_members',
      [
        { project_id: ALPHA, user_id: ALICE },
        { project_id: BETA, user_id: BOB },
      ],
    ],
  ] as const) {
    const { error } = await admin.from(table).insert(rows as unknown as Record<string, unknown>[]);
    if (error) throw new Error(`seeding ${table}: ${error.message}`);
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('row-level security', () => {
  it('a member of project A reads and writes A, and can neither read nor write B', async () => {
    const [e] = tscEvents('alphaOnly');
    const alice = await remoteFor();
    expect(await alice.recordOccurrence(upload(e))).toBe(1);
    expect((await alice.exact(e.fingerprint))?.counts.seen).toBe(1);

    const bob = await remoteFor({ accessToken: stack.userToken(BOB), project: BETA });
    const bobInAlpha = await remoteFor({ accessToken: stack.userToken(BOB), project: ALPHA });
    expect(await bobInAlpha.exact(e.fingerprint)).toBeUndefined();
    await expect(bobInAlpha.recordOccurrence(upload(e))).rejects.toMatchObject({ kind: 'denied' });
    expect(await bob.exact(e.fingerprint)).toBeUndefined();
    // Bob's own project works for him.
    expect(await bob.recordOccurrence(upload(e))).toBe(1);
    expect(await occurrenceCount(ALPHA, e.fingerprint)).toBe(1);
  });

  it('a project claim in the JWT grants that project only', async () => {
    const [e] = tscEvents('claimed');
    const viaClaim = await remoteFor({
      accessToken: stack.userToken(randomUUID(), { heal_project: BETA }),
      project: BETA,
    });
    expect(await viaClaim.recordOccurrence(upload(e))).toBe(1);
    const elsewhere = await remoteFor({
      accessToken: stack.userToken(randomUUID(), { heal_project: BETA }),
      project: ALPHA,
    });
    await expect(elsewhere.recordOccurrence(upload(e))).rejects.toMatchObject({ kind: 'denied' });
  });

  it('anon gets nothing, and a forged token is rejected with a message that names what to check', async () => {
    const anon = testClient(stack);
    const read = await anon.from('error_patterns').select('*').limit(1);
    expect(read.error?.code).toBe('42501');
    const rpc = await anon.rpc('top_patterns', { p_project: ALPHA, p_limit: 1 });
    expect(rpc.error).not.toBeNull();
    const noToken = await remoteFor({ accessToken: undefined });
    await expect(noToken.top(1)).rejects.toMatchObject({ kind: 'auth' });

    const forged = await remoteFor({
      accessToken: signJwt(
        { sub: ALICE, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 },
        'not-the-project-secret-not-the-project-secret',
      ),
    });
    const error = await forged.top(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).kind).toBe('auth');
    expect((error as RemoteError).message).toMatch(/access token/);
    expect((error as RemoteError).message).not.toContain(stack.anonKey);
  });
});

describe('atomic, idempotent RPCs', () => {
  it('20 concurrent record_occurrence calls give an exact count; a replayed key counts once', async () => {
    const [e] = tscEvents('concurrent');
    const remotes = await Promise.all(Array.from({ length: 4 }, () => remoteFor()));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => remotes[i % 4].recordOccurrence(upload(e))));
    expect(new Set(results).size).toBe(20);
    expect(await occurrenceCount(ALPHA, e.fingerprint)).toBe(20);
    const key = randomUUID();
    await remotes[0].recordOccurrence(upload(e, key, 5));
    await remotes[1].recordOccurrence(upload(e, key, 5));
    expect(await occurrenceCount(ALPHA, e.fingerprint)).toBe(25);
  });

  it('record_outcome counts once per key, remembers a verified fix and quarantines a fix that keeps failing', async () => {
    const [e] = tscEvents('outcomes');
    const remote = await remoteFor();
    await remote.recordOccurrence(upload(e));
    const key = randomUUID();
    await remote.recordOutcome({ key, fingerprint: e.fingerprint, fix, outcome: 'verified' });
    const again = await remote.recordOutcome({ key, fingerprint: e.fingerprint, fix, outcome: 'verified' });
    expect(again?.counts).toMatchObject({ fixed: 1, failed: 0 });
    expect(again?.fixes[0]).toMatchObject({ id: fix.id, command: 'npm install foo' });
    let last;
    for (let i = 0; i < 3; i++)
      last = await remote.recordOutcome({ key: randomUUID(), fingerprint: e.fingerprint, fix, outcome: 'reverted' });
    expect(last?.counts).toMatchObject({ fixed: 1, failed: 3 });
    expect(last?.quarantined).toBe(true);
  });
});

describe('lookup order', () => {
  it('local T1 → remote T1 → local T2 → remote T2 → rules', async () => {
    const [e] = tscEvents('sharedOnly');
    const remote = await remoteFor();
    await remote.recordOccurrence(upload(e));
    await remote.recordOutcome({ key: randomUUID(), fingerprint: e.fingerprint, fix, outcome: 'verified' });
    const store = await tempStore();
    const sources = [new LocalPatternSource(store), await remoteFor()];
    const exact = await lookupRun([e], { sources, cwd: tmpdir() });
    expect(exact[0]).toMatchObject({ tier: 'exact', provenance: `pattern:${e.fingerprint}@remote` });

    // Known locally: the local memory answers first.
    const local = { ...fix, id: 'fix-local', command: 'npm install foo@local', description: 'Install the local foo' };
    await store.update((data) => {
      recordRun(data, [e], { source: 'test' });
      recordOutcome(data, e.fingerprint, local, 'verified', new Date().toISOString());
    });
    const both = await lookupRun([e], { sources: [new LocalPatternSource(store), await remoteFor()], cwd: tmpdir() });
    expect(both[0]).toMatchObject({ tier: 'exact', provenance: `pattern:${e.fingerprint}@local` });
    expect(both.find((s) => s.provenance.endsWith('@remote'))).toMatchObject({ tier: 'exact' });

    // A similar failure (another name) that no memory knows exactly: remote T2 by trigram candidates.
    const [similar] = tscEvents('sharedOnlyToo');
    const t2 = await lookupRun([similar], {
      sources: [new LocalPatternSource(await tempStore()), await remoteFor()],
      cwd: tmpdir(),
    });
    expect(t2[0]).toMatchObject({ tier: 'similar', provenance: `pattern:${e.fingerprint}@remote` });
  });
});

describe.skipIf(Boolean(process.env.SUPABASE_URL))('offline queue through an outage', () => {
  it('keeps working while Postgres is down, then flushes exact counts without duplicates', async () => {
    const store = await tempStore();
    const root = path.dirname(store.dir);
    const shared = await SharedMemory.open(store, settings(), root);
    const [e] = tscEvents('outage');
    const record = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await store.update((data) => {
          const events = tscEvents('outage');
          shared.queueRun(data, events, recordRun(data, events, { source: 'test' }).at);
        });
      }
    };
    await record(2);
    expect(await shared.sync()).toMatchObject({ sent: 1, left: 0 });
    expect(await occurrenceCount(ALPHA, e.fingerprint)).toBe(2);

    await stack.pg!.stop();
    try {
      const during = await SharedMemory.open(store, settings(), root);
      await record(3);
      const started = Date.now();
      const flushed = await during.sync();
      expect(flushed.error?.kind).toBe('unreachable');
      expect(flushed.left).toBeGreaterThan(0);
      // Lookups go on with the local store (no blind retries: the session stops asking after one failure).
      const found = await lookupRun([e], { sources: [new LocalPatternSource(store), during.remote], cwd: root });
      expect(Array.isArray(found)).toBe(true);
      expect(Date.now() - started).toBeLessThan(6000);
      await record(1);
    } finally {
      await stack.pg!.start();
    }
    // A write whose answer was lost: the server already has it under its key, and it is still queued.
    const queued = remoteQueue.get(await store.read()).items[0];
    expect(queued.op).toBe('occurrence');
    if (queued.op === 'occurrence') await (await remoteFor()).recordOccurrence({ ...queued });
    const after = await SharedMemory.open(store, settings(), root);
    const flushed = await after.sync();
    expect(flushed).toMatchObject({ left: 0 });
    expect(pendingWrites(await store.read())).toBe(0);
    expect(await occurrenceCount(ALPHA, e.fingerprint)).toBe(6);
    // Everything counted locally was counted once remotely too.
    expect((await store.read()).patterns[e.fingerprint].counts.seen).toBe(6);
  });

  it('shares outcomes learned locally, with portable fixes, once', async () => {
    const store = await tempStore();
    const root = path.dirname(store.dir);
    const shared = await SharedMemory.open(store, settings(), root);
    const [e] = tscEvents('learnedHere');
    const edit = {
      id: 'fix-edit',
      kind: 'edit' as const,
      description: 'Declare learnedHere',
      edits: [
        {
          file: path.join(root, 'src/a.ts'),
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: 'declare const learnedHere: unknown;\n',
          baseHash: 'abc',
        },
      ],
    };
    await store.update((data) => {
      shared.queueRun(data, [e], recordRun(data, [e], { source: 'test' }).at);
      recordOutcome(data, e.fingerprint, edit, 'verified', new Date().toISOString());
    });
    await shared.sync();
    await shared.sync();
    const remote = await remoteFor();
    const pattern = await remote.exact(e.fingerprint);
    expect(pattern?.counts.fixed).toBe(1);
    expect(pattern?.fixes[0].edits?.[0]).toEqual({
      file: 'src/a.ts',
      range: edit.edits[0].range,
      newText: edit.edits[0].newText,
    });
  });
});

describe('cache warming', () => {
  it('pulls the top patterns into the local store; a later exact lookup hits without the network', async () => {
    const [e] = tscEvents('popular');
    const remote = await remoteFor();
    await remote.recordOccurrence(upload(e, randomUUID(), 500));
    await remote.recordOutcome({ key: randomUUID(), fingerprint: e.fingerprint, fix, outcome: 'verified' });
    const store = await tempStore();
    const shared = await SharedMemory.open(store, settings(), path.dirname(store.dir));
    expect(await shared.warmInBackground()).toBeGreaterThan(0);
    const cache = remoteCache.get(await store.read());
    expect(cache?.patterns[e.fingerprint]?.fixes[0].id).toBe(fix.id);

    // A new session whose network is gone: the cached pattern still answers tier 1.
    const offline = await SharedMemory.open(store, settings({ url: 'http://127.0.0.1:9' }), path.dirname(store.dir));
    const found = await lookupRun([e], { sources: [new LocalPatternSource(store), offline.remote], cwd: tmpdir() });
    // The cache belongs to another host: nothing from it. Same host: a hit.
    expect(found.find((s) => s.tier === 'exact')).toBeUndefined();
    const cachedOnly = await SharedMemory.open(store, settings(), path.dirname(store.dir));
    const again = await lookupRun([e], { sources: [new LocalPatternSource(store), cachedOnly.remote], cwd: tmpdir() });
    expect(again[0]).toMatchObject({ tier: 'exact', provenance: `pattern:${e.fingerprint}@remote` });
    await cachedOnly.close();
    const calls = dailyCosts.get(await store.read());
    expect(Object.values(calls)[0].kinds.exact ?? 0).toBe(0);
  });
});

describe('daily cost limit', () => {
  it('stops non-essential remote work at the limit and says so; essential work goes on', async () => {
    const store = await tempStore();
    const remote = await remoteFor({ dailyLimit: 2 }, store);
    const [e] = tscEvents('costly');
    await remote.recordOccurrence(upload(e));
    await remote.similar('Cannot find name', 'tsc', 3);
    const limited = await remote.similar('Cannot find name', 'tsc', 3).catch((x: unknown) => x);
    expect(limited).toMatchObject({ kind: 'limit' });
    expect((limited as Error).message).toMatch(/daily limit of 2 remote calls/);
    await expect(remote.top(10)).rejects.toMatchObject({ kind: 'limit' });
    expect(await remote.recordOccurrence(upload(e))).toBe(2);
    await remote.meter.persist();
    const today = dailyCosts.get(await store.read())[new Date().toISOString().slice(0, 10)];
    expect(today.calls).toBe(3);
    expect(today.kinds).toMatchObject({ occurrence: 2, similar: 1 });
  });
});

describe("the team's circuit breaker", () => {
  it('two reverts open it for everyone in the project; a reset closes it', async () => {
    const project = `breaker-${Date.now()}`;
    const admin = testClient(stack, stack.serviceRoleKey);
    await admin.from('projects').insert({ id: project });
    await admin.from('project_members').insert({ project_id: project, user_id: ALICE });
    const store = await tempStore();
    const shared = await SharedMemory.open(store, settings({ project }), path.dirname(store.dir));
    expect(await shared.teamBreakerRefusal()).toBeUndefined();
    await shared.noteApply('reverted');
    expect((await shared.remote.breaker()).state).toBe('closed');
    await shared.noteApply('reverted');
    expect(await shared.teamBreakerRefusal()).toMatch(/team's circuit breaker .* is open/);
    expect((await shared.remote.resetBreaker()).state).toBe('closed');
  });
});

describe('diagnostic reports', () => {
  it('are insert-only for the reporter, idempotent, and their maintainer-set status reaches the reporter', async () => {
    const sink = remoteReportSink(await remoteFor());
    const id = randomUUID();
    const body = JSON.stringify({ id, failure: { kind: 'verify', message: 'still failing' } });
    await sink.send(body, id);
    await sink.send(body, id);
    expect(await sink.status(id)).toEqual({ status: 'open' });
    const reporter = testClient(stack, stack.anonKey, stack.userToken(ALICE));
    const read = await reporter.from('diagnostic_reports').select('*').eq('id', id);
    expect(read.error?.code ?? (read.data?.length === 0 ? 'empty' : 'visible')).not.toBe('visible');
    const admin = testClient(stack, stack.serviceRoleKey);
    await admin.from('report_status').update({ status: 'resolved', note: 'fixed in 1.2' }).eq('report_id', id);
    expect(await sink.status(id)).toEqual({ status: 'resolved', note: 'fixed in 1.2' });
    // Someone else does not see it.
    const other = remoteReportSink(await remoteFor({ accessToken: stack.userToken(BOB), project: BETA }));
    expect(await other.status(id)).toBeUndefined();
  });
});

describe('what a fix shares', () => {
  it('shares a fix as it was applied, or not at all when scrubbing would change what it does', async () => {
    const { portableFix } = await import('../../shared/remote/sharedMemory');
    const root = '/work/project';
    expect(portableFix(fix, root)).toEqual(fix);
    expect(
      portableFix(
        { ...fix, command: 'npm config set //registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789' },
        root,
      ),
    ).toBeUndefined();
    const edit = {
      id: 'e',
      kind: 'edit' as const,
      description: 'd',
      edits: [
        {
          file: `${root}/src/a.ts`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: 'x',
          baseHash: 'h',
        },
      ],
    };
    expect(portableFix(edit, root)?.edits).toEqual([{ file: 'src/a.ts', range: edit.edits[0].range, newText: 'x' }]);
    expect(portableFix({ ...edit, edits: [{ ...edit.edits[0], file: '/etc/hosts' }] }, root)).toBeUndefined();
    expect(
      portableFix(
        { ...edit, edits: [{ ...edit.edits[0], newText: 'const url = "http://buildbox.corp.internal:8080";' }] },
        root,
      ),
    ).toBeUndefined();
  });
});
