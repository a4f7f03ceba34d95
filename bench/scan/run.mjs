// bench/scan: heal scan vs ripgrep counting trigger lines over the same generated log, in one run.
// Usage: node bench/scan/run.mjs [sizeMB=1024]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generate } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sizeMB = Number(process.argv[2] ?? 1024);
const dataDir = path.join(root, 'bench/.data');
mkdirSync(dataDir, { recursive: true });
const logFile = path.join(dataDir, `scan-${sizeMB}MB.log`);

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

let rg = which('rg');
if (!rg) {
  console.log('installing ripgrep (Debian package) …');
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq ripgrep'], { stdio: 'inherit' });
  rg = which('rg');
}

const metaFile = `${logFile}.json`;
if (!existsSync(logFile) || !existsSync(metaFile)) {
  console.log(`generating ${sizeMB} MB log …`);
  writeFileSync(metaFile, JSON.stringify(await generate(logFile, sizeMB << 20)));
}
const expected = JSON.parse(readFileSync(metaFile, 'utf8'));
const bytes = statSync(logFile).size;

const triggersJs = path.join(mkdtempSync(path.join(tmpdir(), 'heal-bench-')), 'triggers.js');
await build({ entryPoints: [path.join(root, 'bench/scan/triggers.ts')], bundle: true, platform: 'node', outfile: triggersJs, logLevel: 'error' });
const pattern = execFileSync(process.execPath, [triggersJs], { encoding: 'utf8' });

/** Runs a command, returns wall time, peak RSS (from /usr/bin/time when present) and stdout. */
function timed(cmd, args, capture = true) {
  return new Promise((resolve, reject) => {
    const useTime = existsSync('/usr/bin/time');
    const child = useTime ? spawn('/usr/bin/time', ['-f', '%M', cmd, ...args]) : spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (capture) stdout += d;
    });
    child.stderr.on('data', (d) => (stderr += d));
    const start = process.hrtime.bigint();
    child.on('error', reject);
    child.on('close', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rssKb = useTime ? Number(stderr.trim().split('\n').pop()) : NaN;
      resolve({ ms, rssMb: rssKb / 1024, stdout });
    });
  });
}

// Warm the page cache so both read from memory.
await timed('cat', [logFile], false);
const store = mkdtempSync(path.join(tmpdir(), 'heal-bench-store-'));
const heal = await timed(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', logFile, '--json', '--store', store]);
const ripgrep = await timed(rg, ['-c', pattern, logFile]);
const events = JSON.parse(heal.stdout).events.length;

const mbps = (ms) => (bytes / (1 << 20) / (ms / 1000)).toFixed(1);
console.log(`input: ${(bytes / (1 << 20)).toFixed(0)} MB, ${expected.errors} injected errors`);
console.log(`heal scan : ${heal.ms.toFixed(0)} ms  ${mbps(heal.ms)} MB/s  peak RSS ${heal.rssMb.toFixed(0)} MB  events ${events}`);
console.log(`rg -c     : ${ripgrep.ms.toFixed(0)} ms  ${mbps(ripgrep.ms)} MB/s  matching lines ${ripgrep.stdout.trim()}`);
console.log(`ratio heal/rg time: ${(heal.ms / ripgrep.ms).toFixed(2)}×  (target ≤ 3×; RSS target < 150 MB)`);
