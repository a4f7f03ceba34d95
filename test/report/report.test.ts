// Diagnostic reports through the real CLI against a real HTTP endpoint.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseContact, parseConsentLevel } from '../../shared/report/consent';
import { buildReport } from '../../shared/report/report';
import { PermanentError, withRetry } from '../../shared/report/retry';
import { cliPath, runCli } from '../cliHarness';
import { startReportServer, type ReportServer } from './reportServer';

const SECRET = 'AKIAIOSFODNN7EXAMPLE';
let server: ReportServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A store with one failure whose output carries a secret and a home path. */
async function failedOnce() {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-report-'));
  const env = { HEAL_CONFIG_DIR: path.join(dir, 'config'), HOME: dir };
  const heal = (...args: string[]) => runCli(['--store', path.join(dir, '.heal'), ...args], { cwd: dir, env });
  await heal('run', '--', 'node', '-e', `console.error("Error: Cannot find module 'left-pad' (key ${SECRET}, in ${dir}/app.js)"); process.exit(1)`);
  return { dir, env, heal };
}

describe('consent', () => {
  it('levels and contacts are validated with clear messages', () => {
    expect(parseConsentLevel('Standard')).toBe('standard');
    expect(() => parseConsentLevel('everything')).toThrow(/minimal, standard or full/);
    expect(parseContact('none')).toEqual({ kind: 'none' });
    expect(parseContact('@octo-cat')).toEqual({ kind: 'github', value: 'octo-cat' });
    expect(parseContact('a@b.example')).toEqual({ kind: 'email', value: 'a@b.example' });
    expect(() => parseContact('a@b')).toThrow(/e-mail/);
    expect(() => parseContact('-bad-')).toThrow(/GitHub handle/);
  });

  it('each level adds only what it names', () => {
    const input = { heal: '1.0.0', failure: { kind: 'detection' as const, tool: 'node', category: 'module-not-found', fingerprint: 'f', message: `token=${SECRET}` }, commandLine: 'node /home/alice/app.js --token x', output: `line\n${SECRET}` };
    const minimal = buildReport(input, 'minimal', { kind: 'none' });
    expect(Object.keys(minimal).sort()).toEqual(['consent', 'contact', 'failure', 'id', 'timestamp', 'versions']);
    expect(minimal.failure.message).toBeUndefined();
    const standard = buildReport(input, 'standard', { kind: 'none' });
    expect(standard.command).toBe('node');
    expect(standard.failure.message).not.toContain(SECRET);
    expect(standard.outputExcerpt).toBeUndefined();
    const full = buildReport(input, 'full', { kind: 'none' });
    expect(full.outputExcerpt).toBeDefined();
    expect(JSON.stringify(full)).not.toContain(SECRET);
  });

  it('no bytes leave without a consent level; the preview is exactly what is sent, scrubbed', async () => {
    server = await startReportServer();
    const { heal, dir } = await failedOnce();
    const refused = await heal('report', '--endpoint', server.url, '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('nothing sent');
    const preview = await heal('report', '--preview', '--consent', 'full');
    expect(preview.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    const previewed = JSON.parse(preview.stdout);
    expect(preview.stdout).not.toContain(SECRET);
    expect(preview.stdout).not.toContain(dir);
    const sent = await heal('report', '--consent', 'full', '--contact', '@octocat', '--endpoint', server.url, '--yes', '--json');
    expect(sent.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const received = JSON.parse(server.requests[0].body);
    // Same content as the preview, apart from the report's own id and time.
    expect({ ...received, id: 0, timestamp: 0, contact: 0 }).toEqual({ ...previewed, id: 0, timestamp: 0, contact: 0 });
    expect(received.contact).toEqual({ kind: 'github', value: 'octocat' });
    expect(server.requests[0].body).not.toContain(SECRET);
    expect(Buffer.byteLength(server.requests[0].body)).toBe(JSON.parse(sent.stdout).bytes);
  }, 60_000);
});

describe('retries', () => {
  it('backs off exponentially with jitter and stops within the budget', async () => {
    let clock = 0;
    const waits: number[] = [];
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new Error('down');
      },
      { budgetMs: 2000, baseMs: 100, maxAttempts: 10, random: () => 1, now: () => clock, sleep: async (ms) => void (waits.push(ms), (clock += ms)) },
    );
    await expect(failing).rejects.toThrow('down');
    expect(waits).toEqual([100, 200, 400, 800]); // the next (1600) would pass 2 s
    expect(calls).toBe(5);
    expect(clock).toBeLessThanOrEqual(2000);
    const jitter: number[] = [];
    await withRetry(async () => (jitter.length < 2 ? Promise.reject(new Error('x')) : 'ok'), { budgetMs: 2000, baseMs: 100, random: () => 0.5, now: () => 0, sleep: async (ms) => void jitter.push(ms) });
    expect(jitter).toEqual([50, 100]);
    await expect(withRetry(() => Promise.reject(new PermanentError('no')), { budgetMs: 2000, sleep: async () => expect.fail('must not wait') })).rejects.toThrow('no');
  });
});

describe('offline queue', () => {
  it('queues when the endpoint is down and sends once when it is back, even if a send was cut off by a kill', async () => {
    const probe = await startReportServer();
    const url = probe.url;
    const port = Number(new URL(url).port);
    await probe.close(); // nothing listens there now
    const { heal, env, dir } = await failedOnce();
    const queued = await heal('report', '--consent', 'minimal', '--endpoint', url, '--yes', '--json');
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.stdout).result).toBe('queued');

    server = await startReportServer(port);
    server.delayMs = 3000;
    // A run sends the queue; kill it while the endpoint is still answering: the report arrived, the queue kept it.
    const cli = await cliPath();
    const child = spawn(process.execPath, [cli, '--store', path.join(dir, '.heal'), 'run', '--', 'true'], { cwd: dir, env: { ...process.env, ...env, HEAL_REPORT_URL: url, CI: 'false' }, stdio: 'ignore' });
    for (let i = 0; i < 100 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(server.requests).toHaveLength(1);
    server.delayMs = 0;
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], { cwd: dir, env: { ...env, HEAL_REPORT_URL: url } });
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], { cwd: dir, env: { ...env, HEAL_REPORT_URL: url } });
    // Resent once with the same key after the kill; stored exactly once; nothing after that.
    expect(server.requests.map((r) => r.key)).toEqual([server.requests[0].key, server.requests[0].key]);
    expect(server.stored.size).toBe(1);
  }, 60_000);
});

describe('resolution notifications', () => {
  it('a resolved report is announced exactly once', async () => {
    server = await startReportServer();
    const { heal, env, dir } = await failedOnce();
    const sent = JSON.parse((await heal('report', '--consent', 'minimal', '--endpoint', server.url, '--yes', '--json')).stdout);
    server.statuses.set(sent.id, 'resolved');
    const run = () => runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], { cwd: dir, env: { ...env, HEAL_REPORT_URL: server!.url } });
    const outputs = [];
    for (let i = 0; i < 3; i++) outputs.push((await run()).stderr);
    const announcements = outputs.join('\n').match(/the problem you reported .* is resolved: fixed in 1\.2\.3/g) ?? [];
    expect(announcements).toHaveLength(1);
  }, 60_000);
});

describe('the resolution check at start', () => {
  it('reads only the local store: no network, well under 50 ms with many filed reports', async () => {
    const { LocalStore } = await import('../../shared/store/localStore');
    const { reportSection, unannouncedResolutions } = await import('../../shared/report/outbox');
    const store = new LocalStore(mkdtempSync(path.join(tmpdir(), 'heal-res-')));
    await store.update((data) => reportSection.set(data, { queue: [], filed: Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, at: 't', summary: 's', status: i % 7 ? ('open' as const) : ('resolved' as const), notified: i % 14 === 0 })) }));
    const realFetch = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error('no network on this path'));
    try {
      const started = performance.now();
      const found = unannouncedResolutions(await store.read());
      expect(performance.now() - started).toBeLessThan(50);
      expect(found.map((f) => f.id)).toHaveLength(14);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
