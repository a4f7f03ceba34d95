// bench/backfill: `heal backfill` over a folder of generated build/test logs (~1 GB in 16 files by default) vs
// ripgrep counting the detectors' trigger lines in the same folder, in one run: MB/s of each, the ratio, and
// heal's peak RSS (target ≥ 100 MB/s, RSS < 150 MB whatever the size). A second backfill of the same folder
// shows the checkpoints at work (nothing is read again).
// Usage: node bench/backfill/run.mjs [sizeMB=1024] [files=16]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generate } from '../scan/generate.mjs';
import { ripgrep, root, timed, triggerPattern } from '../peers.mjs';

const sizeMB = Number(process.argv[2] ?? 1024);
const count = Number(process.argv[3] ?? 16);
const logs = path.join(root, `bench/.data/backfill-${sizeMB}MB-${count}`);
if (!existsSync(logs) || readdirSync(logs).length < count) {
  mkdirSync(logs, { recursive: true });
  console.log(`generating ${count} logs, ${sizeMB} MB in all …`);
  for (let i = 0; i < count; i++)
    await generate(path.join(logs, `build-${i}.log`), Math.ceil((sizeMB << 20) / count), { seed: 100 + i });
}
const bytes = readdirSync(logs).reduce((sum, f) => sum + statSync(path.join(logs, f)).size, 0);
const rg = ripgrep();
const pattern = await triggerPattern();

await timed('sh', ['-c', `cat ${logs}/*.log > /dev/null`], false); // warm the page cache for both
const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-backfill-'));
const cli = path.join(root, 'dist/cli.js');
const heal = await timed(process.execPath, [cli, '--store', store, 'backfill', logs, '--no-npm-logs', '--json']);
const again = await timed(process.execPath, [cli, '--store', store, 'backfill', logs, '--no-npm-logs', '--json']);
const rgRun = await timed(rg, ['-c', pattern, logs]);
const result = JSON.parse(heal.stdout);

const mbps = (ms) => (bytes / (1 << 20) / (ms / 1000)).toFixed(1);
console.log(`input: ${(bytes / (1 << 20)).toFixed(0)} MB in ${count} files`);
console.log(
  `heal backfill : ${heal.ms.toFixed(0)} ms  ${mbps(heal.ms)} MB/s  peak RSS ${heal.rssMb.toFixed(0)} MB  failures recorded ${result.events}`,
);
console.log(
  `second run    : ${again.ms.toFixed(0)} ms  (${JSON.parse(again.stdout).events} new failures: the checkpoints skip unchanged logs)`,
);
console.log(`rg -c         : ${rgRun.ms.toFixed(0)} ms  ${mbps(rgRun.ms)} MB/s`);
console.log(`ratio heal/rg time: ${(heal.ms / rgRun.ms).toFixed(2)}×  (targets: ≥ 100 MB/s, peak RSS < 150 MB)`);
