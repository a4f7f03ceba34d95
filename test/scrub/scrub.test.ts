import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIPv6, scrub, scrubOutgoing } from '../../shared/scrub';
import { corporaDir } from '../corpora';

const read = (f: string) =>
  readFileSync(path.join(corporaDir(), 'secrets', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; text: string; secrets?: string[] });

/** No home or user of this machine's, so only the generic rules act. */
const NEUTRAL = { home: '/nonexistent-home', user: 'nobody-here' };

describe('scrubber on the secrets corpus', () => {
  it('removes ≥ 99 % of secrets and changes ≤ 1 % of non-secret lines', () => {
    const positives = read('positives.jsonl');
    const negatives = read('negatives.jsonl');
    let found = 0;
    let total = 0;
    const missed: string[] = [];
    for (const p of positives) {
      const out = scrub(p.text, NEUTRAL);
      for (const s of p.secrets!) {
        total++;
        if (!out.includes(s)) found++;
        else missed.push(`${p.kind}: ${out.slice(0, 160)}`);
      }
    }
    const changed = negatives.filter((n) => scrub(n.text, NEUTRAL) !== n.text);
    console.log(
      `recall ${((found / total) * 100).toFixed(1)} % (${found}/${total}); false positives ${changed.length}/${negatives.length}`,
    );
    if (missed.length) console.log(missed.join('\n'));
    if (changed.length) console.log(changed.map((c) => `${c.kind}: ${scrub(c.text, NEUTRAL)}`).join('\n'));
    expect(found / total).toBeGreaterThanOrEqual(0.99);
    expect(changed.length / negatives.length).toBeLessThanOrEqual(0.01);
  });

  /**
   * What leaves the machine also loses IPs and host names. On the negatives every change must be explained: each
   * `<ip>` stands for what node's own parser calls an IP address, each `<host>` for a syntactically valid host name
   * under a common host TLD, each `<user>` for a home folder's user segment. Anything else (a file name, a version,
   * a time, a class name turned into `<host>`) counts as a false positive, and those stay ≤ 1 %.
   */
  it('with the network rules: same recall, and ≤ 1 % of non-secret lines changed beyond real hosts and IPs', () => {
    const positives = read('positives.jsonl');
    const negatives = read('negatives.jsonl');
    const secrets = positives.flatMap((p) => p.secrets!.map((s) => ({ s, out: scrubOutgoing(p.text, NEUTRAL) })));
    const recall = secrets.filter(({ s, out }) => !out.includes(s)).length / secrets.length;
    const unexplained = negatives.filter((n) => !explained(n.text, scrubOutgoing(n.text, NEUTRAL)));
    const masked = negatives.filter((n) => scrubOutgoing(n.text, NEUTRAL) !== n.text).length;
    console.log(
      `network rules: recall ${(recall * 100).toFixed(1)} %; ${masked}/${negatives.length} lines masked hosts/IPs; unexplained changes ${unexplained.length}`,
    );
    if (unexplained.length)
      console.log(unexplained.map((c) => `${c.kind}: ${scrubOutgoing(c.text, NEUTRAL)}`).join('\n'));
    expect(recall).toBeGreaterThanOrEqual(0.99);
    expect(unexplained.length / negatives.length).toBeLessThanOrEqual(0.01);
  });
});

const HOST_TLD_ORACLE = /\.(?:com|net|org|io|dev|cloud|co|uk|de|eu|local|localdomain|internal|lan|corp|arpa)$/i;

/** Whether `out` differs from `text` only by masks over the things they name. */
function explained(text: string, out: string): boolean {
  if (out === text) return true;
  const parts = out.split(/(<ip>|<host>|<user>)/);
  const masks = parts.filter((_, i) => i % 2 === 1);
  const pattern = parts.map((p, i) => (i % 2 === 1 ? '(.+?)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const m = new RegExp(`^${pattern}$`, 'sd').exec(text);
  if (!m) return false;
  return masks.every((mask, i) => {
    const was = m[i + 1];
    if (mask === '<ip>') return isIP(was.replace(/%.*$/, '')) !== 0;
    if (mask === '<host>')
      return /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i.test(was) && (HOST_TLD_ORACLE.test(was) || !was.includes('.'));
    return /(?:home|Users)[\\/]+$/i.test(text.slice(0, m.indices![i + 1][0]));
  });
}

describe('personal data', () => {
  it('hides the home directory, user name and e-mail addresses; network data when it leaves the machine', () => {
    const text = 'cp /home/alice/proj/a.txt /tmp/b && mail alice@example.com; ssh 10.0.0.7 build.corp.internal';
    expect(scrub(text, { home: '/home/alice', user: 'alice' })).toBe(
      'cp ~/proj/a.txt /tmp/b && mail <email>; ssh 10.0.0.7 build.corp.internal',
    );
    expect(scrub(text, { home: '/home/alice', user: 'alice', network: true })).toBe(
      'cp ~/proj/a.txt /tmp/b && mail <email>; ssh <ip> <host>',
    );
    expect(scrubOutgoing(text, { home: '/home/alice', user: 'alice' })).toBe(
      'cp ~/proj/a.txt /tmp/b && mail <email>; ssh <ip> <host>',
    );
  });
  it('keeps SHAs, UUIDs, versions and placeholders', () => {
    const text =
      'commit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368 id=36e07a02-6567-43b1-a392-2dda89a6e09c v3.18.35 password: ${DB_PASSWORD}';
    expect(scrub(text, { home: '/x', user: 'nobody-here' })).toBe(text);
    expect(scrubOutgoing(text, { home: '/x', user: 'nobody-here' })).toBe(text);
  });
});

describe('home folders of any user', () => {
  // [input, expected] — masked by both levels.
  const masked: Array<[string, string]> = [
    ['/home/dave/src/app/index.ts', '/home/<user>/src/app/index.ts'],
    ['at /home/dave', 'at /home/<user>'],
    ['in /home/dave.', 'in /home/<user>.'],
    ['/Users/carol/Library/Caches/pip', '/Users/<user>/Library/Caches/pip'],
    ['"/Users/carol.smith/x"', '"/Users/<user>/x"'],
    ['C:\\Users\\bob\\AppData\\Local\\npm-cache', 'C:\\Users\\<user>\\AppData\\Local\\npm-cache'],
    ['c:\\users\\bob\\x.txt', 'c:\\users\\<user>\\x.txt'],
    ['C:/Users/bob/proj', 'C:/Users/<user>/proj'],
    ['{"file":"C:\\\\Users\\\\bob\\\\proj\\\\a.js"}', '{"file":"C:\\\\Users\\\\<user>\\\\proj\\\\a.js"}'],
    ['C:\\Users\\John Smith\\Desktop', 'C:\\Users\\<user>\\Desktop'],
    ['/mnt/c/Users/bob/proj', '/mnt/c/Users/<user>/proj'],
    ['file:///home/dave/a.txt', 'file:///home/<user>/a.txt'],
    ['/var/home/dave/.config', '/var/home/<user>/.config'],
    ['cp /home/dave/a /home/erin/b', 'cp /home/<user>/a /home/<user>/b'],
  ];
  // Shared accounts, variables and workspace paths that merely contain "home".
  const readable = [
    '/home/runner/work/app/app/node_modules/jest-circus/build/utils.js:319:18',
    '/Users/runner/work/app/app/src/index.ts',
    'C:\\Users\\runneradmin\\AppData\\Local\\Temp',
    '/home/linuxbrew/.linuxbrew/bin/node',
    '/home/circleci/project/package.json',
    '/root/.npm/_logs',
    '/home/$USER/x',
    'C:\\Users\\%USERNAME%\\x',
    'C:\\Users\\Public\\Documents',
    'src/app/home/page.tsx',
    'apps/web/Users/list.tsx',
    '~/proj/x.js',
    '/usr/lib/python3.11/site-packages/requests/adapters.py',
  ];
  it.each(masked)('masks the user in %s', (input, expected) => {
    expect(scrub(input, NEUTRAL)).toBe(expected);
    expect(scrubOutgoing(input, NEUTRAL)).toBe(expected);
  });
  it.each(readable)('keeps %s readable', (input) => {
    expect(scrub(input, NEUTRAL)).toBe(input);
    expect(scrubOutgoing(input, NEUTRAL)).toBe(input);
  });
  it("this machine's home still becomes ~", () => {
    expect(scrub('/home/alice/proj and /home/dave/proj', { home: '/home/alice', user: 'alice' })).toBe(
      '~/proj and /home/<user>/proj',
    );
    expect(scrub('C:\\Users\\alice\\proj', { home: 'C:\\Users\\alice', user: 'alice' })).toBe('~\\proj');
  });
});

describe('IP addresses and host names (what leaves the machine)', () => {
  const masked: Array<[string, string]> = [
    ['ssh 10.20.30.40', 'ssh <ip>'],
    ['connect ECONNREFUSED 10.155.161.13:5432', 'connect ECONNREFUSED <ip>:5432'],
    ['from 192.168.1.23 port 22', 'from <ip> port 22'],
    ['Host 8.8.8.8.', 'Host <ip>.'],
    ['subnet 10.0.0.0/16', 'subnet <ip>/16'],
    ['ping fe80::1ff:fe23:4567:890a', 'ping <ip>'],
    ['fe80::1ff:fe23:4567:890a%eth0 is up', '<ip> is up'],
    ['listen ::1', 'listen <ip>'],
    ['connect 2001:db8::7', 'connect <ip>'],
    ['http://[2001:db8::7]:8080/x', 'http://[<ip>]:8080/x'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '<ip>'],
    ['::ffff:192.0.2.1', '<ip>'],
    ['psql -h db.prod.example.com', 'psql -h <host>'],
    ['getaddrinfo ENOTFOUND api.staging.acme.io', 'getaddrinfo ENOTFOUND <host>'],
    ['ping alice-laptop.local', 'ping <host>'],
    ['ssh build.corp.internal', 'ssh <host>'],
    ['nas.lan: timeout', '<host>: timeout'],
    ['ip-10-0-0-1.ec2.internal', '<host>'],
    ['redis.svc.cluster.local:6379', '<host>:6379'],
    ['DB01.CORP.LOCAL', '<host>'],
    ['git clone https://git.corp.acme.com/team/repo.git', 'git clone https://<host>/team/repo.git'],
    ['curl https://acme-corp.com/api', 'curl https://<host>/api'],
    ['GET http://buildbox:8080/status', 'GET http://<host>:8080/status'],
    ['see https://acme.dev.', 'see https://<host>.'],
    ['postgres://app:[REDACTED]@db.internal:5432/x', 'postgres://app:[REDACTED]@<host>:5432/x'],
    ['mongodb+srv://cluster0.ab1cd.mongodb.net/', 'mongodb+srv://<host>/'],
    ['docker login registry.example.com', 'docker login <host>'],
    ['net use \\\\files.corp.acme.com\\share', 'net use \\\\<host>\\share'],
    ['mount //nas.lan/media', 'mount //<host>/media'],
    ['spark://CoarseGrainedScheduler@10.10.34.11:48069', 'spark://CoarseGrainedScheduler@<ip>:48069'],
    ['https://bob@[2001:db8::7]/x', 'https://bob@[<ip>]/x'],
    ['range 10.0.0.1-10.0.0.9', 'range <ip>-<ip>'],
  ];
  const readable = [
    // Times and dates.
    'at 12:34:56',
    '10:22:33 and 10:22:33.123',
    '2024-07-01T21:23:24.632Z INFO started',
    '[2024-07-01 21:23:24,632] took 00:01:02',
    'Date: 2024.01.15',
    // Versions and ranges.
    'node v20.11.0, npm 10.2.4, 1.2.3',
    'peer react@"^18.2.0 || ~17.0.2" and >=1.0.0 <2.0.0',
    '1.2.3-beta.1 3.18.35+build.9405',
    'System.Runtime, Version=4.0.0.0, Culture=neutral',
    'Microsoft.NETCore.App 1.0.0.0-preview',
    'version: 0.0.0-use.local',
    'Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36',
    'OID 1.3.6.1.4.1.311',
    // File and package names.
    'cp .env.example .env.local',
    'config/database.local.yml',
    'node_modules/socket.io/lib/index.js',
    'npm i socket.io chart.js lodash.debounce',
    'next.config.js vue.config.mjs index.d.ts app.module.ts',
    'README.md setup.py main.rs build.sh MANIFEST.in requirements.dev.in',
    'docker-compose.override.yml appsettings.Development.json',
    'asset main.f9a0a24f659928411666.js 142 KiB',
    'golang.org/x/sys v0.15.0 h1:IZ1DHssdZoA1Anx1+56J51r2ujnYGxiNuQGEQujyDGE=',
    // Code.
    '\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.createBean(AbstractAutowireCapableBeanFactory.java:332)',
    'package com.acme.internal;',
    'user.profile.id app.views.home window.location.host',
    '    _state = threading.local()',
    'x[1::2] x[::2] std::vector<int> Foo::bar a::b dead::beef',
    'SHA256 43:51:43:a1:b5:fc:8b:b7:0a:3a:a9:b1:0f:66:73:a8',
    'e.g. i.e. etc.',
    // Loopback, "any", netmasks and public services.
    'listening on localhost:3000 and http://localhost:5173/',
    'bound to 127.0.0.1:8080, 0.0.0.0:80 and :::8080',
    'netmask 255.255.255.0 broadcast 255.255.255.255',
    'host.docker.internal:5432',
    'https://github.com/acme/api.git',
    'GET https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz 200',
    'https://files.pythonhosted.org/packages/ab/93/numpy-1.26.4.tar.gz',
    'socket.io example.com acme-corp.com',
    // Identifiers.
    'commit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368',
    'request_id=36e07a02-6567-43b1-a392-2dda89a6e09c',
    'Digest: sha256:5a9c9ca32638f4a85351fc6abeba416cc2a5f661fdd6333da21c20be1df53eda',
  ];
  it.each(masked)('masks %s', (input, expected) => {
    expect(scrubOutgoing(input, NEUTRAL)).toBe(expected);
    // `heal redact` without --network leaves them.
    expect(scrub(input, NEUTRAL)).toBe(input);
  });
  it.each(readable)('keeps %s readable', (input) => {
    expect(scrubOutgoing(input, NEUTRAL)).toBe(input);
  });
  it('recognises IPv6 text forms and rejects look-alikes', () => {
    for (const a of [
      '::1',
      '2001:db8::7',
      'fe80::1ff:fe23:4567:890a',
      '1:2:3:4:5:6:7:8',
      '::ffff:192.0.2.1',
      'fe80::1%eth0',
    ])
      expect(isIPv6(a), a).toBe(true);
    for (const a of [
      '12:34:56',
      '1:2:3:4:5:6:7',
      '1::2::3',
      '::g',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:300.1.1.1',
      '12345::1',
    ])
      expect(isIPv6(a), a).toBe(false);
  });
});

describe('hostile input', () => {
  // Linear-time rules finish these in milliseconds; a backtracking one takes seconds (22 s for 64 KiB of `a`, 1.3 s
  // for `a:a:…a:` before the rules were made linear) or worse. Each unit is repeated to 64 KiB, ending as it ends
  // and once more followed by a letter (some rules only fail, and so only backtrack, at the end of the text).
  const N = 64 * 1024;
  const units = ['a', 'a.', 'a-', 'a:', 'a=', '1.', '1:', 'ab:', '::', 'f:.%1', 'a@', 'a@a.', '"a":', "'a'='", 'eyJ'];
  units.push('/home/', 'C:\\Users\\', 'http://', 'http://a:', 'http://a@', 'login ', 'mysql ', ' -u a', 'Version=');
  it.each(units)('a 64 KiB run of %j finishes quickly in both levels', (unit) => {
    const run = unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
    for (const text of [run, run + 'x']) {
      const started = performance.now();
      scrub(text, NEUTRAL);
      scrubOutgoing(text, NEUTRAL);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
  it("random text over the rules' special characters finishes quickly", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const alphabet of ['a.:1', 'f:.%1', 'a:/@.', 'a=: "', 'aA1_-.', 'x\\: U']) {
      const text = Array.from({ length: N }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const started = performance.now();
      scrubOutgoing(text, NEUTRAL);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe('heal redact', () => {
  it('streams stdin to stdout with secrets masked, including multi-line private keys', async () => {
    const { runCli } = await import('../cliHarness');
    const input =
      'token=ghp_xHvSXAN0lxAhENedxfnJ9fpww4cURsQiFCz3\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\ncommit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368\n';
    const r = await runCli(['redact'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'token=[REDACTED]\n[REDACTED PRIVATE KEY]\ncommit f38a9d33c261c997b9fb0d93b39cf4ee5c1c5368\n',
    );
  });
  it('masks home-folder users always, IPs and host names with --network', async () => {
    const { runCli } = await import('../cliHarness');
    const input = 'at 12:34:56 ssh 10.20.30.40 db.prod.example.com from /home/dave/app/.env.local\n';
    const plain = await runCli(['redact'], { input });
    expect(plain.stdout).toBe('at 12:34:56 ssh 10.20.30.40 db.prod.example.com from /home/<user>/app/.env.local\n');
    const network = await runCli(['redact', '--network'], { input });
    expect(network.code).toBe(0);
    expect(network.stdout).toBe('at 12:34:56 ssh <ip> <host> from /home/<user>/app/.env.local\n');
  });
});
