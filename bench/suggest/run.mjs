// bench/suggest: Heal vs thefuck on the same corpus, in one run — accuracy, cold-process and warm latency.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpora = process.env.HEAL_CORPORA ?? path.resolve(root, '../shared/corpora');
const corpus = path.join(corpora, 'thefuck/sample.jsonl');
if (!existsSync('/usr/share/thefuck')) {
  console.log('installing thefuck (Debian package) …');
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq thefuck'], { stdio: 'inherit' });
}
const tmp = mkdtempSync(path.join(tmpdir(), 'heal-bench-suggest-'));
const healRunner = path.join(tmp, 'heal_runner.js');
await build({
  entryPoints: [path.join(root, 'bench/suggest/heal_runner.ts')],
  bundle: true,
  platform: 'node',
  outfile: healRunner,
  logLevel: 'error',
  define: { 'import.meta.url': '"file:///"' },
});
const cli = path.join(root, 'dist/cli.js');
const pyEnv = { ...process.env, PYTHONPATH: '/usr/share/thefuck' };
const py = path.join(root, 'bench/suggest/thefuck_runner.py');

const heal = JSON.parse(
  execFileSync(process.execPath, [healRunner], { encoding: 'utf8', env: { ...process.env, HEAL_CORPORA: corpora } }),
);
const fuck = JSON.parse(
  execFileSync('/usr/bin/python3', [py, corpus], { encoding: 'utf8', env: pyEnv }).trim().split('\n').pop(),
);

// Cold processes: a new process per suggestion, on the same cases.
const lines = (await import('node:fs'))
  .readFileSync(corpus, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const N = Math.min(20, lines.length);
const time = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
let healCold = 0;
let fuckCold = 0;
const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-store-'));
for (let i = 0; i < N; i++) {
  const c = lines[Math.floor((i * lines.length) / N)];
  healCold += time(() =>
    spawnSync(
      process.execPath,
      [cli, 'suggest', '--command', c.script, '--output', c.output, '--json', '--store', store],
      { encoding: 'utf8' },
    ),
  );
  fuckCold += time(() =>
    spawnSync('/usr/bin/python3', [py, corpus, '--one', String(Math.floor((i * lines.length) / N))], {
      encoding: 'utf8',
      env: pyEnv,
    }),
  );
}
const nodeStart = time(() => spawnSync(process.execPath, ['-e', '0']));
const pct = (x) => `${(x * 100).toFixed(1)} %`;
console.log(`cases: ${lines.length} (cold: ${N})`);
console.log(`accuracy top-1   heal ${pct(heal.top1)}   thefuck ${pct(fuck.top1)}`);
console.log(`accuracy top-3   heal ${pct(heal.top3)}   thefuck ${pct(fuck.top3)}`);
console.log(
  `first call       heal ${heal.firstCallMs.toFixed(1)} ms   thefuck ${fuck.firstCallMs.toFixed(1)} ms (in process, rules loaded on first use)   ratio ${(heal.firstCallMs / fuck.firstCallMs).toFixed(2)}`,
);
console.log(
  `cold process     heal ${(healCold / N).toFixed(0)} ms   thefuck ${(fuckCold / N).toFixed(0)} ms   ratio ${(healCold / fuckCold).toFixed(2)} (goal ≤ 0.33; node -e 0 alone: ${nodeStart.toFixed(0)} ms)`,
);
console.log(
  `warm in-process  heal ${heal.warmMean.toFixed(2)} ms (p50 ${heal.warmP50.toFixed(2)})   thefuck ${fuck.warmMean.toFixed(2)} ms (p50 ${fuck.warmP50.toFixed(2)})   ratio ${(heal.warmMean / fuck.warmMean).toFixed(3)} (goal ≤ 0.1)`,
);
