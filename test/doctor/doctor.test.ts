import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localChecks, remoteCheck, toMarkdown } from '../../shared/doctor/doctor';
import { runCli } from '../cliHarness';

describe('doctor', () => {
  it('runs every local check and reports each as ok, warn or fail', async () => {
    const results = await localChecks({ storeDir: mkdtempSync(path.join(tmpdir(), 'heal-doc-')), version: '1.2.3' });
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'platform',
        'node',
        'shell',
        'git',
        'package-managers',
        'store',
        'breaker',
        'config',
        'version',
      ]),
    );
    for (const r of results) expect(['ok', 'warn', 'fail']).toContain(r.status);
    expect(results.find((r) => r.id === 'node')!.status).toBe('ok');
  });

  it('reports a corrupt store as a failure with the reason', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-doc-'));
    writeFileSync(path.join(dir, 'store.json'), '{broken');
    const store = (await localChecks({ storeDir: dir, version: 'x' })).find((r) => r.id === 'store')!;
    expect(store.status).toBe('fail');
    expect(store.detail).toContain('not valid');
  });

  it('a remote that does not answer is a warning within its own timeout', async () => {
    const server = createServer(() => undefined).listen(0);
    const port = (server.address() as { port: number }).port;
    const start = Date.now();
    const r = await remoteCheck(`http://127.0.0.1:${port}/`, 300);
    server.close();
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('no answer in 300 ms');
    expect(Date.now() - start).toBeLessThan(3000);
  });

  it('reports the queue of unsent diagnostic reports', async () => {
    const { LocalStore } = await import('../../shared/store/localStore');
    const { reportSection } = await import('../../shared/report/outbox');
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-doc-'));
    await new LocalStore(dir).update((data) =>
      reportSection.set(data, { queue: [{ id: 'r1', body: '{}', enqueuedAt: 't', attempts: 2 }], filed: [] }),
    );
    const reports = (await localChecks({ storeDir: dir, version: 'x' })).find((r) => r.id === 'reports')!;
    expect(reports).toMatchObject({ status: 'warn', detail: '1 waiting to be sent, 0 filed (0 open)' });
  });

  it('renders Markdown for copying', () => {
    expect(toMarkdown([{ id: 'a', title: 'A', status: 'warn', detail: 'x|y', hint: 'do z', ms: 1 }])).toContain(
      '| ⚠️ | A | x\\|y | do z |',
    );
  });

  it('heal doctor --json prints the checks and the local time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-doc-'));
    mkdirSync(path.join(dir, 'cfg'));
    const r = await runCli(['doctor', '--json', '--store', path.join(dir, 's')], {
      env: { HEAL_CONFIG_DIR: path.join(dir, 'cfg'), SUPABASE_URL: '' },
    });
    const doc = JSON.parse(r.stdout);
    expect(doc.checks.length).toBeGreaterThanOrEqual(10);
    expect(typeof doc.localMs).toBe('number');
  });
});
