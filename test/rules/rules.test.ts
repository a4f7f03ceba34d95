// Each built-in rule family on real tool output: the detected failure gets the expected top suggestion.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import { lookupRun } from '../../shared/lookup/lookup';
import { machineEnvironment } from '../../shared/rules/environment';
import { builtinRules } from '../../shared/rules';
import { fixture } from '../detect/expectEvents';

async function top(output: string, command: string, cwd = '/nonexistent-project') {
  const events = scanText(output).events;
  const found = await lookupRun(events, {
    command,
    output,
    cwd,
    env: { ...machineEnvironment(cwd), executables: () => new Set(['git', 'ls', 'npm', 'node', 'cat', 'python3']) },
  });
  return found;
}

const cases: Array<[string, string, string, Record<string, unknown>]> = [
  [
    'node/cannot-find-module.txt',
    'node index.js',
    'packages.node-missing-module',
    { kind: 'command', command: 'npm install dayjs' },
  ],
  [
    'node/err-module-not-found.txt',
    'node e.mjs',
    'packages.node-missing-module',
    { kind: 'command', command: 'npm install left-pad-nope' },
  ],
  [
    'python/module-not-found.txt',
    'python3 m.py',
    'packages.python-missing-module',
    { kind: 'command', command: 'pip install opencv-python' },
  ],
  ['rust/build-errors.txt', 'cargo build', 'packages.cargo-add', { kind: 'command', command: 'cargo add serde' }],
  [
    'go/build-missing-module.txt',
    'go build ./...',
    'packages.go-modules',
    { kind: 'command', command: 'go get github.com/google/uuid' },
  ],
  [
    'git/no-upstream.txt',
    'git push',
    'git.push-set-upstream',
    { kind: 'replace', command: 'git push --set-upstream origin feature' },
  ],
  [
    'git/non-fast-forward.txt',
    'git push origin main',
    'git.push-rejected',
    { kind: 'replace', command: 'git pull origin main && git push origin main' },
  ],
  ['git/unknown-subcommand.txt', 'git stauts', 'git.not-a-command', { kind: 'replace', command: 'git status' }],
  ['git/merge-conflict.txt', 'git pull --no-rebase origin main', 'git.merge-conflict', { kind: 'advice' }],
  ['git/detached-push.txt', 'git push origin', 'git.detached-head', { kind: 'advice' }],
  ['git/not-a-repo.txt', 'git status', 'git.not-a-repo', { kind: 'command', command: 'git init' }],
  [
    'shell/command-not-found-bash.txt',
    'gti status',
    'generic.command-typo',
    { kind: 'replace', command: 'git status' },
  ],
  [
    'shell/permission-denied.txt',
    './noexec.sh',
    'files.not-executable',
    { kind: 'command', command: 'chmod +x noexec.sh' },
  ],
  ['shell/eaddrinuse-node.txt', 'node server.js', 'runtime.port-in-use', { kind: 'advice' }],
  [
    'shell/enospc-watchers.txt',
    'npm start',
    'runtime.inotify-watchers',
    { kind: 'command', command: 'sudo sysctl fs.inotify.max_user_watches=524288' },
  ],
  [
    'node/heap-oom.txt',
    'node build.js',
    'runtime.node-heap',
    { kind: 'replace', command: 'NODE_OPTIONS=--max-old-space-size=4096 node build.js' },
  ],
  [
    'docker/daemon-down.txt',
    'docker ps',
    'runtime.docker-daemon',
    { kind: 'command', command: 'sudo systemctl start docker' },
  ],
  [
    'eslint/stylish.txt',
    'npx eslint lint',
    'runtime.eslint-fix',
    { kind: 'command', command: 'npx eslint --fix /tmp/cap/js/lint/a.js' },
  ],
  ['pytest/failures.txt', 'pytest -q', 'runtime.pytest-fixture', { kind: 'advice' }],
  ['python/indentation.txt', 'python3 ind.py', 'runtime.python-indentation', { kind: 'advice' }],
  ['cc/missing-header.txt', 'gcc a.c', 'runtime.c-missing-header', { kind: 'advice' }],
  ['cc/link-error.txt', 'make', 'runtime.link-error', { kind: 'advice' }],
  ['npm/e404.txt', 'npm install nonexistent-pkg-heal-xyz-404', 'packages.npm-404', { kind: 'advice' }],
  ['pip/no-matching-distribution.txt', 'pip install nonexistent-pkg-heal-xyz', 'packages.pip', { kind: 'advice' }],
  ['jest/failures.txt', 'npx jest', 'runtime.test-failure', { kind: 'advice' }],
];

describe('rules on real tool output', () => {
  it.each(cases)('%s → %s', async (file, command, rule, fix) => {
    const found = await top(fixture(file), command);
    const match = found.find((s) => s.provenance === `rule:${rule}`);
    expect(match, JSON.stringify(found.map((s) => s.provenance))).toBeDefined();
    expect(match!.fix).toMatchObject(fix);
  });

  it('the did-you-mean rule does not misfire on a plain missing file', async () => {
    const found = await top(fixture('shell/no-such-file-cat.txt'), 'cat nonexist.txt');
    expect(found.filter((s) => s.provenance === 'rule:generic.did-you-mean')).toEqual([]);
  });

  it('tsc: the misspelled name is fixed by an edit at the reported position, with the file hash recorded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-rule-'));
    writeFileSync(path.join(dir, 'a.ts'), 'const total = 1;\nconsole.log(totl);\n');
    const out = "a.ts(2,13): error TS2552: Cannot find name 'totl'. Did you mean 'total'?\n";
    const [s] = await top(out, 'tsc --noEmit', dir);
    expect(s.fix).toMatchObject({
      kind: 'edit',
      edits: [
        {
          file: 'a.ts',
          newText: 'total',
          range: { start: { line: 1, character: 12 }, end: { line: 1, character: 16 } },
        },
      ],
    });
    expect(s.safety).toBe('safe');
  });

  it('npm: a missing script is corrected to the closest script in package.json', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-rule-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { build: 'x', test: 'y' } }));
    const [s] = await top(fixture('npm/missing-script.txt'), 'npm run biuld', dir);
    expect(s).toMatchObject({
      provenance: 'rule:packages.missing-script',
      fix: { kind: 'replace', command: 'npm run build' },
    });
  });

  it('a fix that adds sudo is never classed safe', async () => {
    const found = await top(fixture('docker/daemon-down.txt'), 'docker ps');
    expect(found.find((s) => s.fix.command?.startsWith('sudo'))?.safety).toBe('dangerous');
  });

  it('adb: a misspelled command is corrected past the global options', async () => {
    const [s] = await top(fixture('tools/adb-unknown-command.txt'), 'adb -P 666 pulll /sdcard/x');
    expect(s).toMatchObject({ provenance: 'rule:tools.adb-command', fix: { command: 'adb -P 666 pull /sdcard/x' } });
  });

  it('a tool that says to log in first gets its own login command before the re-run', async () => {
    const [s] = await top(fixture('tools/gh-not-logged-in.txt'), 'gh pr list');
    expect(s).toMatchObject({ provenance: 'rule:tools.login-first', fix: { command: 'gh auth login && gh pr list' } });
    const other = await top('Error: could not find a required file.\n', 'gh pr list');
    expect(other.map((x) => x.provenance)).not.toContain('rule:tools.login-first');
  });

  it('there are at least 60 rules, with unique ids', () => {
    expect(builtinRules.length).toBeGreaterThanOrEqual(60);
    expect(new Set(builtinRules.map((r) => r.id)).size).toBe(builtinRules.length);
  });
});
