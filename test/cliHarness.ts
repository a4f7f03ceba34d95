// Runs the real CLI as a child process, bundled from source once per test process.
import { spawn, type SpawnOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

let bundled: Promise<string> | undefined;

/** Bundles `entry` (relative to the repository) into `outfile` as esbuild.mjs bundles for Node. */
export async function bundle(entry: string, outfile: string, options: BuildOptions = {}): Promise<void> {
  await build({
    entryPoints: [path.resolve(__dirname, '..', entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    ...options,
    define: { 'import.meta.url': 'importMetaUrl', ...options.define },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
}

/** Bundles client/cli/main.ts into a temporary file (like dist/cli.js) and returns its path. */
export function cliPath(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-cli-'));
    // As shipped: supabase-js and ws in a file of their own next to the CLI (see esbuild.mjs)…
    await bundle('client/cli/main.ts', path.join(dir, 'cli.js'), {
      define: { HEAL_SPLIT_CLIENT: 'true' },
      external: ['@supabase/supabase-js', 'ws'],
    });
    // … and beside it, as in dist/, that bundle and backfill's scan worker.
    await bundle('shared/remote/supabaseClientEntry.ts', path.join(dir, 'supabaseClient.js'));
    await bundle('shared/backfill/scanWorkerEntry.ts', path.join(dir, 'scanWorker.js'));
    return path.join(dir, 'cli.js');
  })();
  return bundled;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: SpawnOptions & { input?: string | Buffer } = {},
): Promise<CliResult> {
  const cli = await cliPath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      ...options,
      env: { ...process.env, NO_COLOR: '1', CI: 'false', GITHUB_STEP_SUMMARY: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin!.end(options.input ?? '');
  });
}
