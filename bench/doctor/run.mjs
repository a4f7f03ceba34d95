// bench/doctor: how long the local checks take (target < 100 ms, goal 50 ms), next to the cost of starting
// one external program (`git --version`), measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-doctor-'));
// A store with real content (every fixture scanned into it), so the store checks read and validate something.
const fixtures = path.join(root, 'test/fixtures');
const logs = readdirSync(fixtures, { recursive: true })
  .filter((f) => f.endsWith('.txt'))
  .map((f) => path.join(fixtures, f));
spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', ...logs, '--store', store], { encoding: 'utf8' });
const runs = [];
for (let i = 0; i < 10; i++) {
  const out = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'doctor', '--json', '--store', store], {
    encoding: 'utf8',
    env: { ...process.env, SUPABASE_URL: '' },
  });
  runs.push(JSON.parse(out.stdout).localMs);
}
const git = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  spawnSync('git', ['--version']);
  git.push(performance.now() - t);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(
  `heal doctor local checks: median ${median(runs)} ms over ${runs.length} runs on a store of ${(statSync(path.join(store, 'store.json')).size / 1024).toFixed(0)} KiB from ${logs.length} logs (target < 100 ms, goal 50 ms)`,
);
console.log(
  `peer: one \`git --version\` process: median ${median(git).toFixed(1)} ms; ratio ${(median(runs) / median(git)).toFixed(1)}`,
);
