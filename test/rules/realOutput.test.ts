// Rules on real tool output (fixtures captured on this kind of machine; see test/fixtures/README.md), and the
// command-not-found rule against this machine's real PATH.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import { lookupRun } from '../../shared/lookup/lookup';
import { correctedCommandLine, type Suggestion } from '../../shared/lookup/suggestion';
import { machineEnvironment } from '../../shared/rules/environment';
import type { RuleEnvironment } from '../../shared/rules/rule';
import { fixture } from '../detect/expectEvents';

async function suggest(
  output: string,
  command: string,
  cwd = '/nonexistent-project',
  env?: RuleEnvironment,
): Promise<Suggestion[]> {
  return lookupRun(scanText(output).events, { command, output, cwd, env: env ?? machineEnvironment(cwd) });
}
const lines = (found: Suggestion[], command: string) =>
  found.map((s) => correctedCommandLine(s, command)).filter(Boolean);
const byRule = (found: Suggestion[], rule: string) => found.filter((s) => s.provenance === `rule:${rule}`);

describe("npm's own did-you-mean (npm 11)", () => {
  it.each([
    ['instll', 'npm install'],
    ['publsh', 'npm publish'],
    ['tset', 'npm set'],
  ])('npm %s → %s', async (typo, want) => {
    const found = await suggest(fixture(`npm/did-you-mean-${typo}.txt`), `npm ${typo}`);
    expect(lines(found, `npm ${typo}`)[0]).toBe(want);
    expect(found.some((s) => /\bthis\b/.test(s.fix.command ?? ''))).toBe(false);
  });

  it('keeps the arguments, and ranks several candidates in npm’s order', async () => {
    expect(
      lines(
        await suggest(fixture('npm/did-you-mean-instll.txt'), 'npm instll lodash --save-dev'),
        'npm instll lodash --save-dev',
      )[0],
    ).toBe('npm install lodash --save-dev');
    expect(lines(await suggest(fixture('npm/did-you-mean-stat.txt'), 'npm stat'), 'npm stat').slice(0, 2)).toEqual([
      'npm star',
      'npm start',
    ]);
  });
});

describe('files: flags a command needs for a folder, missing parents, cd into a misspelled folder', () => {
  it('cp on a folder (GNU: "-r not specified; omitting directory") → cp -r', async () => {
    const found = await suggest(fixture('shell/cp-omitting-directory.txt'), 'cp d1 d2');
    expect(found[0]).toMatchObject({
      provenance: 'rule:files.directory-needs-recursive',
      fix: { kind: 'replace', command: 'cp -r d1 d2' },
    });
    expect(lines(found, 'cp d1 d2')).toContain('cp -a d1 d2');
    expect(await suggest(fixture('shell/cp-omitting-directory.txt'), 'cp -R d1 d2')).toEqual([]);
  });

  it('mkdir of a nested path (GNU, curly quotes) → mkdir -p', async () => {
    const found = await suggest(fixture('shell/mkdir-missing-parent.txt'), 'mkdir a/b/c');
    expect(found[0]).toMatchObject({ provenance: 'rule:files.missing-parent', fix: { command: 'mkdir -p a/b/c' } });
  });

  it.each(['shell/cd-missing-bash.txt', 'shell/cd-missing-sh.txt'])(
    'cd into a misspelled folder (%s) → the closest folder',
    async (file) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'heal-cd-'));
      mkdirSync(path.join(dir, 'src', 'lib'), { recursive: true });
      mkdirSync(path.join(dir, 'docs'));
      expect((await suggest(fixture(file), 'cd srcc', dir))[0].fix.command).toBe('cd src');
      // Each misspelled component is corrected, not only the last.
      expect((await suggest(fixture(file).replace(/srcc/g, 'srcc/lbi'), 'cd srcc/lbi', dir))[0].fix.command).toBe(
        'cd src/lib',
      );
    },
  );
});

describe('command not found, on this machine’s real PATH', () => {
  const real = machineEnvironment('/nonexistent-project');
  const has = (name: string) => real.executables().has(name);

  it.skipIf(!has('git'))('gti status → git status first (transposition = one edit)', async () => {
    const found = await suggest(fixture('shell/command-not-found-bash.txt'), 'gti status');
    expect(lines(found, 'gti status')[0]).toBe('git status');
  });

  it.skipIf(!has('git'))('sh and zsh wording too', async () => {
    expect(lines(await suggest(fixture('shell/command-not-found-sh.txt'), 'gti status'), 'gti status')[0]).toBe(
      'git status',
    );
    expect(lines(await suggest('zsh: command not found: gti\n', 'gti status'), 'gti status')[0]).toBe('git status');
  });

  it.skipIf(!has('git'))('corrects the segment that failed, not the first program of the line', async () => {
    const chained = fixture('shell/command-not-found-chained.txt');
    expect(lines(await suggest(chained, 'true && gti status'), 'true && gti status')[0]).toBe('true && git status');
    expect(lines(await suggest(chained, 'npm ci && gti status'), 'npm ci && gti status')[0]).toBe(
      'npm ci && git status',
    );
    expect(lines(await suggest(chained, 'bash -c "gti status"'), 'bash -c "gti status"')[0]).toBe(
      'bash -c "git status"',
    );
    expect(lines(await suggest(chained, 'FOO=1 sudo gti status | less'), 'FOO=1 sudo gti status | less')[0]).toBe(
      'FOO=1 sudo git status | less',
    );
  });

  it('a misspelling inside a script the command ran is advice, not a rewrite of the command', async () => {
    const found = await suggest('./build.sh: line 3: gti: command not found\n', './build.sh');
    expect(found.filter((s) => s.fix.kind === 'replace')).toEqual([]);
    if (has('git')) expect(found[0].fix.description).toMatch(/`git`.*build\.sh at line 3/);
  });

  it.skipIf(has('htop'))('htop (not installed) is not corrected to top: install it instead', async () => {
    const found = await suggest(fixture('shell/command-not-found-htop.txt'), 'htop');
    expect(found.map((s) => s.fix.command)).not.toContain('top');
    expect(found[0]).toMatchObject({ provenance: 'rule:generic.command-typo' });
    expect(found[0].fix.command ?? found[0].fix.description).toMatch(/install htop/);
    expect(found[0].safety).not.toBe('safe');
  });

  it.each([
    ['tree', 'free'],
    ['cowsay', 'chown'],
    ['zzqxv', 'xev'],
  ])('%s is never “corrected” to %s', async (typed, wrong) => {
    if (has(typed)) return;
    const found = await suggest(`bash: line 1: ${typed}: command not found\n`, typed);
    expect(found.map((s) => s.fix.command)).not.toContain(wrong);
    expect(found.length).toBeGreaterThan(0);
  });
});

describe('command not found: how to install it for the platform', () => {
  const machine = (platform: NodeJS.Platform, executables: string[], isRoot = false): RuleEnvironment => ({
    platform,
    isRoot,
    executables: () => new Set(executables),
    exists: () => false,
    isDirectory: () => false,
    listDirectories: () => [],
    packageScripts: () => undefined,
  });
  const notFound = (name: string) => `bash: ${name}: command not found\n`;

  it('Debian/Ubuntu as a user: sudo apt-get install, classed dangerous and saying why', async () => {
    const [s] = await suggest(notFound('htop'), 'htop', '/x', machine('linux', ['apt-get', 'sudo', 'top', 'git']));
    expect(s.fix).toMatchObject({ kind: 'command', command: 'sudo apt-get install htop' });
    expect(s.safety).toBe('dangerous');
    expect(s.why).toMatch(/root/);
  });

  it('as root no sudo; without sudo and not root, advice only (sudo is never added silently)', async () => {
    expect((await suggest(notFound('htop'), 'htop', '/x', machine('linux', ['apt-get'], true)))[0].fix).toMatchObject({
      kind: 'command',
      command: 'apt-get install htop',
    });
    const [advice] = await suggest(notFound('htop'), 'htop', '/x', machine('linux', ['apt-get']));
    expect(advice.fix).toMatchObject({ kind: 'advice' });
    expect(advice.fix.command).toBeUndefined();
  });

  it('package names that differ from the program: rg → ripgrep, fd → fd-find (installed as fdfind)', async () => {
    expect((await suggest(notFound('rg'), 'rg TODO', '/x', machine('linux', ['dnf', 'sudo'])))[0].fix.command).toBe(
      'sudo dnf install ripgrep',
    );
    expect((await suggest(notFound('rg'), 'rg TODO', '/x', machine('darwin', ['brew'])))[0].fix.command).toBe(
      'brew install ripgrep',
    );
    const fd = await suggest(notFound('fd'), 'fd main', '/x', machine('linux', ['apt-get', 'sudo']));
    expect(fd[0].fix).toMatchObject({ kind: 'replace', command: 'sudo apt-get install fd-find && fdfind main' });
    expect(
      (await suggest(notFound('fd'), 'fd main', '/x', machine('linux', ['apt-get', 'sudo', 'fdfind'])))[0].fix.command,
    ).toBe('fdfind main');
  });

  it("uses the platform's own handler when it printed an install command (Ubuntu)", async () => {
    const out = "Command 'htop' not found, but can be installed with:\n\nsudo apt install htop\n";
    expect((await suggest(out, 'htop', '/x', machine('linux', ['apt-get', 'sudo', 'top'])))[0].fix.command).toBe(
      'sudo apt install htop',
    );
  });

  it('an unknown name far from everything: advice to check the spelling or install it', async () => {
    const found = await suggest(notFound('zzqxv'), 'zzqxv', '/x', machine('linux', ['apt-get', 'sudo', 'xev', 'git']));
    expect(found).toHaveLength(1);
    expect(found[0].fix).toMatchObject({ kind: 'advice' });
    expect(found[0].fix.description).toMatch(/spelling/);
  });

  it('python when only python3 is installed: the versioned name, not an install', async () => {
    const env = machine('linux', ['python3', 'python3.11', 'pip3', 'apt-get', 'sudo']);
    expect(lines(await suggest(notFound('python'), 'python app.py', '/x', env), 'python app.py')).toEqual([
      'python3 app.py',
    ]);
    expect(lines(await suggest(notFound('pip'), 'pip install requests', '/x', env), 'pip install requests')).toEqual([
      'pip3 install requests',
    ]);
  });

  it('prefers common developer tools and same first letters on ties', async () => {
    const env = machine('linux', ['git', 'go', 'gio', 'tic', 'vi', 'nm', 'npm', 'node', 'ndoe', 'top']);
    expect(lines(await suggest(notFound('got'), 'got commit', '/x', env), 'got commit').slice(0, 2)).toEqual([
      'git commit',
      'go commit',
    ]);
    expect(lines(await suggest(notFound('nmp'), 'nmp test', '/x', env), 'nmp test')[0]).toBe('npm test');
    expect(lines(await suggest(notFound('gti'), 'gti', '/x', env), 'gti')[0]).toBe('git');
  });
});

describe('rules on real output that no other test names', () => {
  it('packages.missing-global-types: describe/it without test-runner types → the types the compiler names', async () => {
    const found = byRule(
      await suggest(fixture('tsc/missing-test-types.txt'), 'tsc --noEmit'),
      'packages.missing-global-types',
    );
    expect(found.map((s) => s.fix.command)).toEqual(['npm install -D @types/jest', 'npm install -D @types/mocha']);
    const node = byRule(
      await suggest(fixture('tsc/missing-node-types.txt'), 'tsc --noEmit'),
      'packages.missing-global-types',
    );
    expect(node.map((s) => s.fix.command)).toEqual(['npm install -D @types/node']);
  });

  it('packages.npm-eresolve: a peer conflict → --legacy-peer-deps, or the version the peer wants', async () => {
    const found = byRule(await suggest(fixture('npm/eresolve.txt'), 'npm install'), 'packages.npm-eresolve');
    expect(found.map((s) => s.fix.command)).toEqual(['npm install --legacy-peer-deps', 'npm install host-b@"^2.0.0"']);
  });

  it('runtime.docker-image: the registry has no such tag', async () => {
    const found = byRule(
      await suggest(fixture('docker/manifest-unknown.txt'), 'docker manifest inspect localhost:5443/heal/app:missing'),
      'runtime.docker-image',
    );
    expect(found).toHaveLength(1);
    expect(found[0].fix).toMatchObject({ kind: 'advice' });
    expect(found[0].fix.description).toContain('localhost:5443/heal/app:missing');
    // The daemon's wording, as docker pull prints it.
    const pulled = byRule(
      await suggest(
        'Error response from daemon: manifest for alpine:nope not found: manifest unknown: manifest unknown\n',
        'docker pull alpine:nope',
      ),
      'runtime.docker-image',
    );
    expect(pulled[0].fix.description).toContain('alpine:nope');
  });

  it('runtime.connection-refused: node and python, with the address when known', async () => {
    const node = byRule(
      await suggest(fixture('node/econnrefused.txt'), 'node client.js'),
      'runtime.connection-refused',
    );
    expect(node[0].fix.description).toContain('127.0.0.1:1');
    const python = byRule(
      await suggest(fixture('python/connection-refused.txt'), 'python3 client.py'),
      'runtime.connection-refused',
    );
    expect(python).toHaveLength(1);
    expect(python[0].fix.description).not.toMatch(/:\s|:$|undefined/);
  });

  it('runtime.tsc-possibly-null: one advice per value, naming it', async () => {
    const found = byRule(await suggest(fixture('tsc/possibly-null.txt'), 'tsc --noEmit'), 'runtime.tsc-possibly-null');
    expect(found.map((s) => s.fix.description)).toEqual([
      expect.stringMatching(/`match`.*nulls\.ts:2.*null$/),
      expect.stringMatching(/`found`.*nulls\.ts:4.*undefined$/),
    ]);
  });

  it('runtime.tsc-did-you-mean on real tsc output: an edit at the reported position; without a column, the name is found in the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-tsc-'));
    writeFileSync(path.join(dir, 'typo.ts'), 'const total = 1;\nconsole.log(totl);\n');
    const [s] = byRule(
      await suggest(fixture('tsc/did-you-mean.txt'), 'tsc --noEmit typo.ts', dir),
      'runtime.tsc-did-you-mean',
    );
    const edit = {
      kind: 'edit',
      edits: [
        {
          file: 'typo.ts',
          newText: 'total',
          range: { start: { line: 1, character: 12 }, end: { line: 1, character: 16 } },
        },
      ],
    };
    expect(s.fix).toMatchObject(edit);
    const events = scanText(fixture('tsc/did-you-mean.txt')).events.map((e) => ({ ...e, column: undefined }));
    const [located] = byRule(
      await lookupRun(events, { command: 'tsc', cwd: dir, env: machineEnvironment(dir) }),
      'runtime.tsc-did-you-mean',
    );
    expect(located.fix).toMatchObject(edit);
    expect(located.fix.id).toBe(s.fix.id);
  });
});
