// bench/scan: heal scan vs ripgrep counting trigger lines over the same generated log, in one run. Each is run
// `runs` times, alternating, and the medians are compared (one run on a busy machine varies by ±25 %).
// Usage: node bench/scan/run.mjs [sizeMB=1024] [runs=3]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generate } from './generate.mjs';
import { median, ripgrep, root, timed, triggerPattern } from '../peers.mjs';

const sizeMB = Number(process.argv[2] ?? 1024);
const runs = Math.max(1, Number(process.argv[3] ?? 3));
const dataDir = path.join(root, 'bench/.data');
mkdirSync(dataDir, { recursive: true });
const logFile = path.join(dataDir, `scan-${sizeMB}MB.log`);

const rg = ripgrep();

const metaFile = `${logFile}.json`;
if (!existsSync(logFile) || !existsSync(metaFile)) {
  console.log(`generating ${sizeMB} MB log …`);
  writeFileSync(metaFile, JSON.stringify(await generate(logFile, sizeMB << 20)));
}
const expected = JSON.parse(readFileSync(metaFile, 'utf8'));
const bytes = statSync(logFile).size;

const pattern = await triggerPattern();

// Warm the page cache so both read from memory.
await timed('cat', [logFile], false);
const healRuns = [];
const rgRuns = [];
for (let i = 0; i < runs; i++) {
  const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-store-'));
  healRuns.push(
    await timed(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', logFile, '--json', '--store', store]),
  );
  rgRuns.push(await timed(rg, ['-c', pattern, logFile]));
}
const heal = { ms: median(healRuns.map((r) => r.ms)), rssMb: Math.max(...healRuns.map((r) => r.rssMb)) };
const rgRun = { ms: median(rgRuns.map((r) => r.ms)), stdout: rgRuns[0].stdout };
const events = JSON.parse(healRuns[0].stdout).events.length;
const each = (list) => list.map((r) => r.ms.toFixed(0)).join(', ');

const mbps = (ms) => (bytes / (1 << 20) / (ms / 1000)).toFixed(1);
console.log(`input: ${(bytes / (1 << 20)).toFixed(0)} MB, ${expected.errors} injected errors; medians of ${runs} runs`);
console.log(
  `heal scan : ${heal.ms.toFixed(0)} ms  ${mbps(heal.ms)} MB/s  peak RSS ${heal.rssMb.toFixed(0)} MB  events ${events}  (runs: ${each(healRuns)} ms)`,
);
console.log(
  `rg -c     : ${rgRun.ms.toFixed(0)} ms  ${mbps(rgRun.ms)} MB/s  matching lines ${rgRun.stdout.trim()}  (runs: ${each(rgRuns)} ms)`,
);
console.log(`ratio heal/rg time: ${(heal.ms / rgRun.ms).toFixed(2)}×  (target ≤ 3×; RSS target < 150 MB)`);
