// bench/scan: heal scan vs ripgrep counting trigger lines over the same generated log, in one run.
// Usage: node bench/scan/run.mjs [sizeMB=1024]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generate } from './generate.mjs';
import { ripgrep, root, timed, triggerPattern } from '../peers.mjs';

const sizeMB = Number(process.argv[2] ?? 1024);
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
const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-store-'));
const heal = await timed(process.execPath, [
  path.join(root, 'dist/cli.js'),
  'scan',
  logFile,
  '--json',
  '--store',
  store,
]);
const rgRun = await timed(rg, ['-c', pattern, logFile]);
const events = JSON.parse(heal.stdout).events.length;

const mbps = (ms) => (bytes / (1 << 20) / (ms / 1000)).toFixed(1);
console.log(`input: ${(bytes / (1 << 20)).toFixed(0)} MB, ${expected.errors} injected errors`);
console.log(
  `heal scan : ${heal.ms.toFixed(0)} ms  ${mbps(heal.ms)} MB/s  peak RSS ${heal.rssMb.toFixed(0)} MB  events ${events}`,
);
console.log(`rg -c     : ${rgRun.ms.toFixed(0)} ms  ${mbps(rgRun.ms)} MB/s  matching lines ${rgRun.stdout.trim()}`);
console.log(`ratio heal/rg time: ${(heal.ms / rgRun.ms).toFixed(2)}×  (target ≤ 3×; RSS target < 150 MB)`);
