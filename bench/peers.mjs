// What the log benchmarks share: ripgrep as the peer (installed from Debian when missing), the detectors'
// trigger patterns as one regex it accepts, and timing a child process with its peak RSS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function ripgrep() {
  let rg = which('rg');
  if (!rg) {
    console.log('installing ripgrep (Debian package) …');
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq ripgrep'], { stdio: 'inherit' });
    rg = which('rg');
  }
  return rg;
}

/** The detectors' trigger patterns as one regex for ripgrep. */
export async function triggerPattern() {
  const triggersJs = path.join(mkdtempSync(path.join(tmpdir(), 'heal-bench-')), 'triggers.js');
  await build({
    entryPoints: [path.join(root, 'bench/scan/triggers.ts')],
    bundle: true,
    platform: 'node',
    outfile: triggersJs,
    logLevel: 'error',
  });
  return execFileSync(process.execPath, [triggersJs], { encoding: 'utf8' });
}

/** The median of some numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs a command, returns wall time, peak RSS (from /usr/bin/time when present) and stdout. */
export function timed(cmd, args, capture = true) {
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
