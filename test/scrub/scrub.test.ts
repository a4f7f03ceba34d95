import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrub } from '../../shared/scrub';
import { corporaDir } from '../corpora';

const read = (f: string) =>
  readFileSync(path.join(corporaDir(), 'secrets', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; text: string; secrets?: string[] });

describe('scrubber on the secrets corpus', () => {
  it('removes ≥ 99 % of secrets and changes ≤ 1 % of non-secret lines', () => {
    const positives = read('positives.jsonl');
    const negatives = read('negatives.jsonl');
    let found = 0;
    let total = 0;
    const missed: string[] = [];
    for (const p of positives) {
      const out = scrub(p.text, { home: '/nonexistent-home', user: 'nobody-here' });
      for (const s of p.secrets!) {
        total++;
        if (!out.includes(s)) found++;
        else missed.push(`${p.kind}: ${out.slice(0, 160)}`);
      }
    }
    const changed = negatives.filter((n) => scrub(n.text, { home: '/nonexistent-home', user: 'nobody-here' }) !== n.text);
    console.log(`recall ${((found / total) * 100).toFixed(1)} % (${found}/${total}); false positives ${changed.length}/${negatives.length}`);
    if (missed.length) console.log(missed.join('\n'));
    if (changed.length) console.log(changed.map((c) => `${c.kind}: ${scrub(c.text)}`).join('\n'));
    expect(found / total).toBeGreaterThanOrEqual(0.99);
    expect(changed.length / negatives.length).toBeLessThanOrEqual(0.01);
  });
});

describe('personal data', () => {
  it('hides the home directory, user name and e-mail addresses; network data on request', () => {
    const text = 'cp /home/alice/proj/a.txt /tmp/b && mail alice@example.com; ssh 10.0.0.7 build.corp.internal';
    expect(scrub(text, { home: '/home/alice', user: 'alice' })).toBe('cp ~/proj/a.txt /tmp/b && mail <email>; ssh 10.0.0.7 build.corp.internal');
    expect(scrub(text, { home: '/home/alice', user: 'alice', network: true })).toBe('cp ~/proj/a.txt /tmp/b && mail <email>; ssh <ip> <host>');
  });
  it('keeps SHAs, UUIDs, versions and placeholders', () => {
    const text = 'commit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368 id=36e07a02-6567-43b1-a392-2dda89a6e09c v3.18.35 password: ${DB_PASSWORD}';
    expect(scrub(text, { home: '/x', user: 'nobody-here' })).toBe(text);
  });
});

describe('heal redact', () => {
  it('streams stdin to stdout with secrets masked, including multi-line private keys', async () => {
    const { runCli } = await import('../cliHarness');
    const input = 'token=ghp_xHvSXAN0lxAhENedxfnJ9fpww4cURsQiFCz3\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\ncommit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368\n';
    const r = await runCli(['redact'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('token=[REDACTED]\n[REDACTED PRIVATE KEY]\ncommit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368\n');
  });
});
