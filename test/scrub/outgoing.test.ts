// Everything that leaves the machine goes through the outgoing scrubber: reports, exports, shared-memory writes.
import { describe, expect, it } from 'vitest';
import { exportPatterns } from '../../shared/learn/exchange';
import { portableFix } from '../../shared/remote/sharedMemory';
import { buildReport } from '../../shared/report/report';
import { emptyStore } from '../../shared/store/schema';
import { newPattern } from '../../shared/store/patterns';

const PRIVATE = [
  '10.20.30.40',
  'db.prod.example.com',
  'fe80::1ff:fe23:4567:890a',
  'alice-laptop.local',
  '/home/dave/',
  'C:\\Users\\bob\\',
  'AKIAIOSFODNN7EXAMPLE',
];
const TEXT =
  'Error: connect ECONNREFUSED 10.20.30.40:5432 (db.prod.example.com, fe80::1ff:fe23:4567:890a, alice-laptop.local) in /home/dave/app/server.js, C:\\Users\\bob\\app at 12:34:56 key AKIAIOSFODNN7EXAMPLE';
const KEPT = ['12:34:56', 'server.js', '/app/'];

function expectClean(serialised: string) {
  for (const p of PRIVATE) expect(serialised).not.toContain(p);
  for (const k of KEPT) expect(serialised).toContain(k);
}

describe('what leaves the machine is scrubbed of hosts, IPs and home-folder users', () => {
  it('diagnostic reports', () => {
    const report = buildReport(
      {
        heal: '1.0.0',
        failure: { kind: 'detection', tool: 'node', category: 'connection', fingerprint: 'f', message: TEXT },
        commandLine: 'node server.js',
        output: `line\n${TEXT}`,
      },
      'full',
      { kind: 'none' },
    );
    expect(report.failure.message).toContain('<ip>:5432');
    expectClean(JSON.stringify(report));
  });

  it('exports (the default scrubber of exportPatterns, which heal export uses)', () => {
    const data = emptyStore();
    const p = newPattern(
      {
        tool: 'node',
        category: 'x',
        severity: 'error',
        message: TEXT,
        context: [],
        startLine: 1,
        endLine: 1,
        fingerprint: 'fp1',
        coarseFingerprint: 'c',
      },
      '2026-01-01T00:00:00.000Z',
    );
    p.examples.push(TEXT);
    p.fixes.push({
      id: 'f1',
      kind: 'command',
      command: `psql -h db.prod.example.com -f /home/dave/app/x.sql # 12:34:56 server.js /app/`,
      description: TEXT,
    });
    data.patterns.fp1 = p;
    const doc = exportPatterns(data);
    expect(doc.patterns[0].fixes[0].command).toBe(
      'psql -h <host> -f /home/<user>/app/x.sql # 12:34:56 server.js /app/',
    );
    expectClean(JSON.stringify(doc));
  });

  it('fixes shared with the team: a command that names hosts is not shared (masked, it would not work); a clean one is, with its description scrubbed', () => {
    expect(
      portableFix(
        { id: 'f1', kind: 'command', command: 'ssh 10.20.30.40 psql -h db.prod.example.com', description: TEXT },
        '/w',
      ),
    ).toBeUndefined();
    const fix = portableFix({ id: 'f2', kind: 'command', command: 'npm install left-pad', description: TEXT }, '/w');
    expect(fix?.command).toBe('npm install left-pad');
    expectClean(JSON.stringify(fix));
  });
});
