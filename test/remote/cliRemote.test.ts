// The CLI with a shared memory: `heal run` records to it, `heal status` shows its health, and when it is away
// the command still runs, keeps its exit code and says so in one line.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';
import { startSupabaseStack, testClient, type SupabaseStack } from '../supabase/stack';

const USER = randomUUID();
const PROJECT = `cli-${Date.now()}`;
let stack: SupabaseStack;
let dir: string;

const failing = `process.stderr.write("src/a.ts(3,10): error TS2304: Cannot find name 'cliShared'.\\n"); process.exit(2);`;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SUPABASE_URL: stack.url,
    SUPABASE_ANON_KEY: stack.anonKey,
    HEAL_REMOTE_TOKEN: stack.userToken(USER),
    HEAL_PROJECT: PROJECT,
    HEAL_CONFIG_DIR: path.join(dir, 'config'),
    HEAL_STORE: path.join(dir, '.heal'),
    ...extra,
  };
}

beforeAll(async () => {
  stack = await startSupabaseStack({ migrationsDir: path.resolve(__dirname, '../../supabase/migrations') });
  const admin = testClient(stack, stack.serviceRoleKey);
  await admin.from('projects').insert({ id: PROJECT });
  await admin.from('project_members').insert({ project_id: PROJECT, user_id: USER });
  dir = await mkdtemp(path.join(tmpdir(), 'heal-cli-remote-'));
  await writeFile(path.join(dir, 'fail.js'), failing);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('heal with a shared memory', () => {
  it('heal run records the failure in the team memory; heal status shows the remote healthy', async () => {
    const run = await runCli(['run', '--', process.execPath, 'fail.js'], { cwd: dir, env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/shared memory/);
    const { data } = await testClient(stack, stack.serviceRoleKey)
      .from('error_patterns')
      .select('occurrence_count, tool')
      .eq('project_id', PROJECT);
    expect(data).toEqual([{ occurrence_count: 1, tool: 'tsc' }]);
    const status = await runCli(['--json', 'status'], { cwd: dir, env: env() });
    const doc = JSON.parse(status.stdout) as { remote: { reachable: boolean; pending: number; project: string } };
    expect(doc.remote).toMatchObject({ reachable: true, pending: 0, project: PROJECT });
  });

  it('an unreachable remote costs one warning line; the run keeps its exit code and its writes wait in the queue', async () => {
    const offline = env({ SUPABASE_URL: 'http://127.0.0.1:9' });
    const run = await runCli(['run', '--', process.execPath, 'fail.js'], { cwd: dir, env: offline });
    expect(run.code).toBe(2);
    const warnings = run.stderr.split('\n').filter((l) => /shared memory/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/127\.0\.0\.1:9.*unreachable.*check remote\.url/);
    const status = await runCli(['--json', 'status'], { cwd: dir, env: offline });
    expect(JSON.parse(status.stdout).remote).toMatchObject({ reachable: false, pending: 1 });
    // Back online: heal sync sends what waited, counted once.
    const sync = await runCli(['--json', 'sync'], { cwd: dir, env: env() });
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ sent: 1, pending: 0 });
    const { data } = await testClient(stack, stack.serviceRoleKey)
      .from('error_patterns')
      .select('occurrence_count')
      .eq('project_id', PROJECT);
    expect(data).toEqual([{ occurrence_count: 2 }]);
  });

  it('a half-configured remote is a clear one-line error, not a crash', async () => {
    const run = await runCli(['run', '--', process.execPath, 'fail.js'], { cwd: dir, env: env({ HEAL_PROJECT: '' }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/configured at .* but the project is missing/);
  });
});
