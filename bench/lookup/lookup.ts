// bench/lookup (bundled and run by run.mjs): 100 000 remembered patterns, then p50/p95 of each lookup tier in
// one run — local T1 (the embedded store), remote T1 (supabase-js → PostgREST-compatible layer → PostgreSQL),
// remote T2 (pg_trgm) — next to the same SQL sent straight to PostgreSQL with `pg` (the peer: what the HTTP
// layers add).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { CostMeter } from '../../shared/remote/costMeter';
import { RemoteStore } from '../../shared/remote/remoteStore';
import { LocalStore, STORE_FILE } from '../../shared/store/localStore';
import { emptyStore, type Pattern } from '../../shared/store/schema';
import { fingerprintOf } from '../../shared/fingerprint';
import { startSupabaseStack, testClient } from '../../test/supabase/stack';

const N = Number(process.env.HEAL_BENCH_PATTERNS ?? 100_000);
const QUERIES = Number(process.env.HEAL_BENCH_QUERIES ?? 300);
/** Identifiers without digits (fingerprints normalise numbers away). */
const w = (i: number) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
};
const TEMPLATES: Array<[string, string, (i: number) => string]> = [
  ['tsc', 'name-not-found', (i) => `TS2304: Cannot find name 'symbol${w(i)}'.`],
  ['tsc', 'type', (i) => `TS2322: Type 'Shape${w(i)}' is not assignable to type 'Model${w(i % 97)}'.`],
  [
    'node',
    'module-not-found',
    (i) => `Error: Cannot find module 'pkg-${w(i)}' imported from /src/entry${w(i % 31)}.js`,
  ],
  ['python', 'module-not-found', (i) => `ModuleNotFoundError: No module named 'module_${w(i)}'`],
  ['cargo', 'unresolved-import', (i) => `error[E0432]: unresolved import \`crate::mod${w(i)}::Item\``],
  ['go', 'undefined', (i) => `undefined: Handler${w(i)}`],
  ['java', 'symbol', (i) => `error: cannot find symbol class Service${w(i)}`],
  ['npm', 'missing-script', (i) => `npm error Missing script: "task-${w(i)}"`],
  ['eslint', 'lint', (i) => `'variable${w(i)}' is assigned a value but never used  no-unused-vars`],
  ['shell', 'command-not-found', (i) => `bash: tool${w(i)}: command not found`],
];
const family = (tool: string) => tool;

function patternOf(i: number): Pattern {
  const [tool, category, message] = TEMPLATES[i % TEMPLATES.length];
  const text = message(i);
  const fp = fingerprintOf(tool, category, text);
  const at = new Date(Date.now() - i * 1000).toISOString();
  return {
    fingerprint: fp.fingerprint,
    coarseFingerprint: fp.coarseFingerprint,
    tool,
    category,
    message: text,
    examples: [text],
    counts: { seen: 1 + (i % 50), fixed: 1, failed: 0 },
    firstSeen: at,
    lastSeen: at,
    history: [at],
    daily: { [at.slice(0, 10)]: 1 },
    fixes: [{ id: `fix-${i}`, kind: 'command', command: `npm install pkg-${i}`, description: `Install pkg-${i}` }],
    confidence: 0.8,
    quarantined: false,
    ignored: false,
    commands: [],
  };
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95) };
}

async function time(n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

async function main() {
  const patterns = Array.from({ length: N }, (_, i) => patternOf(i));
  const dir = await mkdtemp(path.join(tmpdir(), 'heal-bench-lookup-'));
  const storeDir = path.join(dir, '.heal');
  await mkdir(storeDir, { recursive: true });
  const doc = emptyStore();
  for (const p of patterns) doc.patterns[p.fingerprint] = p;
  await writeFile(path.join(storeDir, STORE_FILE), JSON.stringify(doc));
  const store = new LocalStore(storeDir);

  const stack = await startSupabaseStack({ migrationsDir: path.resolve(__dirname, '../../supabase/migrations') });
  const project = 'bench';
  const user = randomUUID();
  const direct = new pg.Client({ connectionString: stack.pg!.connectionString });
  await direct.connect();
  try {
    await direct.query('insert into public.projects (id) values ($1)', [project]);
    await direct.query('insert into public.project_members (project_id, user_id) values ($1, $2)', [project, user]);
    const rows = patterns.map((p) => [
      project,
      p.fingerprint,
      p.coarseFingerprint,
      p.tool,
      family(p.tool),
      p.category,
      p.message,
      p.examples[0],
      JSON.stringify(p.fixes),
      p.confidence,
      p.counts.fixed,
      p.counts.failed,
      p.counts.seen,
    ]);
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await direct.query(
        `insert into public.error_patterns (project_id, fingerprint, coarse_fingerprint, tool, tool_family, category, message, example, fixes, confidence, success_count, failure_count, occurrence_count)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::real[], $11::int[], $12::int[], $13::bigint[])`,
        Array.from({ length: 13 }, (_, c) => chunk.map((r) => r[c])),
      );
    }
    await direct.query('analyze public.error_patterns');
    void testClient; // the stack's own client is not needed: Heal's RemoteStore is what is measured

    const pick = (i: number) => patterns[(i * 7919) % N];
    const local = new LocalPatternSource(store);
    const loadStart = performance.now();
    await local.exact(pick(0).fingerprint);
    const localLoadMs = performance.now() - loadStart;
    const localT1 = await time(QUERIES, (i) => local.exact(pick(i).fingerprint));
    const localT2 = await time(Math.min(QUERIES, 30), (i) =>
      local.similar(pick(i).message.replace(/'[a-z]+'/, "'zzq'"), pick(i).tool, 3),
    );

    const meter = new CostMeter(store, Number.MAX_SAFE_INTEGER);
    const remote = await RemoteStore.connect(
      {
        url: stack.url,
        anonKey: stack.anonKey,
        accessToken: stack.userToken(user),
        project,
        dailyLimit: Number.MAX_SAFE_INTEGER,
        timeoutMs: 10_000,
      },
      meter,
    );
    // A fresh RemoteStore per query would add client set-up; the memo is bypassed by asking each fingerprint once.
    const remoteT1 = await time(QUERIES, (i) => remote.exact(patterns[(i * 104729 + 13) % N].fingerprint));
    const remoteT2 = await time(QUERIES, (i) =>
      remote.similar(pick(i).message.replace(/'[a-z]+'/, "'zzq'"), pick(i).tool, 3),
    );

    // The peer: the same statements straight to PostgreSQL, as the same role with the same claims, no HTTP.
    const asUser = async (sql: string, args: unknown[]) => {
      await direct.query('begin');
      await direct.query(
        `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: user, role: 'authenticated' })],
      );
      const r = await direct.query(sql, args);
      await direct.query('commit');
      return r;
    };
    const pgT1 = await time(QUERIES, (i) =>
      asUser('select * from public.error_patterns where project_id = $1 and fingerprint = $2 limit 1', [
        project,
        patterns[(i * 104729 + 17) % N].fingerprint,
      ]),
    );
    const pgT2 = await time(QUERIES, (i) =>
      asUser('select * from public.match_patterns($1, $2, $3, $4, $5)', [
        project,
        pick(i).message.replace(/'[a-z]+'/, "'zzq'"),
        pick(i).tool,
        10,
        0.3,
      ]),
    );

    const f = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(1));
    const line = (name: string, s: { p50: number; p95: number }) =>
      console.log(`${name.padEnd(42)} p50 ${f(s.p50).padStart(8)} ms   p95 ${f(s.p95).padStart(8)} ms`);
    console.log(`bench/lookup: ${N} patterns (${TEMPLATES.length} tool families), ${QUERIES} queries per tier`);
    console.log(
      `local store: ${(JSON.stringify(doc).length / 1048576).toFixed(0)} MB, loaded once per lookup session in ${localLoadMs.toFixed(0)} ms`,
    );
    line('local T1 (exact, embedded store)', localT1);
    line('local T2 (Jaccard scan, embedded store)', localT2);
    line('remote T1 (exact, supabase-js over HTTP)', remoteT1);
    line('remote T2 (pg_trgm match_patterns)', remoteT2);
    line('peer: T1 SQL straight to PostgreSQL', pgT1);
    line('peer: T2 SQL straight to PostgreSQL', pgT2);
    console.log(
      `ratios (p50): remote T1 / local T1 ${f(remoteT1.p50 / localT1.p50)}×, remote T1 / peer SQL ${f(remoteT1.p50 / pgT1.p50)}×, remote T2 / remote T1 ${f(remoteT2.p50 / remoteT1.p50)}×, remote T2 / peer SQL ${f(remoteT2.p50 / pgT2.p50)}×, local T2 / remote T2 ${f(localT2.p50 / remoteT2.p50)}×`,
    );
    console.log("(the HTTP layer here is the test suite's PostgREST-compatible server, not PostgREST itself)");
  } finally {
    await direct.end();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
