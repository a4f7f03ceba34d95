// Backfill: learn from logs already on disk, on request only. Finds the logs a repository usually has, scans each
// as a stream (bounded memory), and records what it finds together with a per-file checkpoint in one store write,
// so running twice counts once and a run killed midway resumes with exact counts (a file is either recorded with
// its checkpoint or not at all). A log that grew since is scanned from where the last run stopped.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import type { ErrorEvent } from '../detect/detector';
import { ScanPool, scanLogFile } from './scanWorkers';
import { fingerprintOf } from '../fingerprint';
import { Category } from '../detect/categories';
import type { LocalStore } from '../store/localStore';
import type { StoreData } from '../store/schema';
import { recordRun } from '../store/patterns';
import { defineSection } from '../store/section';

/**
 * CI log folders. `*.log` anywhere already covers GitLab's job logs (`<job id>.log`, `job.log`), Jenkins' own logs
 * (under `$JENKINS_HOME/logs/`) and any log a CI step saves as `*.log`; these add the CI logs named otherwise.
 */
export const CI_LOG_PATTERNS = [
  // GitHub Actions: a run's log archive (`logs_<run id>.zip`) unpacked: `<n>_<job>.txt` per job and
  // `<job>/<n>_<step>.txt` per step (unpacked into a `logs/` folder, the next pattern finds it).
  '**/logs_*/**/*.txt',
  // Jenkins: a build's console output, `$JENKINS_HOME/jobs/<job>/builds/<number>/log` (no extension).
  '**/jobs/**/builds/*/log',
  // Folders CI steps and runners write or download logs to: `logs/`, `ci-logs/`, `.ci/logs/` (text and `.out` files).
  '**/{logs,ci-logs,ci_logs}/**/*.{txt,out}',
  '**/.ci/logs/**/*.{txt,out}',
];
/** A folder given by name that is itself a CI log folder (`heal backfill ~/Downloads/logs_123`): the files in it that are logs. */
const CI_LOG_FOLDERS: Array<[RegExp, string[]]> = [
  [/^logs_/, ['**/*.txt']],
  [/^(?:logs|ci-logs|ci_logs)$/, ['**/*.{txt,out}']],
];
/** XML under `reports/`, named anything (GitLab's `artifacts:reports:junit` examples write `report.xml`, `rspec.xml`): kept if it is JUnit. */
export const JUNIT_CANDIDATES = ['**/reports/**/*.xml'];
/** Where repositories keep logs: build and test logs, JUnit reports, pytest's last failures, CI log folders. */
export const LOG_PATTERNS = [
  '**/*.log',
  '**/junit*.xml',
  '**/TEST-*.xml',
  '**/test-results/**/*.xml',
  '**/.pytest_cache/v/cache/lastfailed',
  ...CI_LOG_PATTERNS,
];
/** Dependency and tool folders: their logs are not the project's failures. */
export const IGNORED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.venv/**',
  '**/venv/**',
  '**/vendor/**',
  '**/site-packages/**',
  '**/.tox/**',
  '**/.heal/**',
  '**/bower_components/**',
  '**/.yarn/cache/**',
];
const HEAD_BYTES = 4096;

/** Per file: how far it was read, and a hash of its first `headBytes` bytes to tell the same file grown from a new one. */
const checkpointSchema = z.object({
  size: z.number(),
  offset: z.number(),
  head: z.string(),
  headBytes: z.number(),
  at: z.string(),
});
export const backfillCheckpoints = defineSection('backfill', z.record(z.string(), checkpointSchema), () => ({}));

export interface LogFile {
  file: string;
  size: number;
  mtimeMs: number;
}

/** The log files under the given paths (files are taken as given; folders are searched), newest last. */
export async function findLogs(
  paths: string[],
  options: { since?: Date; includeNpmLogs?: boolean; home?: string } = {},
): Promise<LogFile[]> {
  const found = new Set<string>();
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) throw new Error(`cannot read ${p}: no such file or folder`);
    if (info.isFile()) found.add(path.resolve(p));
    else {
      const options = { cwd: p, ignore: IGNORED, absolute: true, dot: true, followSymbolicLinks: false };
      const name = path.basename(path.resolve(p));
      const inFolder = CI_LOG_FOLDERS.flatMap(([folder, files]) => (folder.test(name) ? files : []));
      const logs = new Set(await glob([...LOG_PATTERNS, ...inFolder], options));
      for (const f of await glob(JUNIT_CANDIDATES, options))
        if (!logs.has(f) && /<testsuites?[\s>]/.test((await headHash(f).catch(() => undefined))?.text ?? ''))
          logs.add(f);
      for (const f of withoutStepLogs(logs)) found.add(f);
    }
  }
  if (options.includeNpmLogs) {
    const npmLogs = path.join(options.home ?? homedir(), '.npm', '_logs');
    for (const f of await glob(['*.log'], { cwd: npmLogs, absolute: true }).catch(() => [])) found.add(f);
  }
  const files: LogFile[] = [];
  for (const file of found) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (options.since && info.mtime < options.since) continue;
    files.push({ file, size: info.size, mtimeMs: info.mtimeMs });
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs);
}

/**
 * A GitHub Actions log archive holds each job's log twice: whole (`<n>_<job>.txt`) and by step
 * (`<job>/<n>_<step>.txt`, `<job>/system.txt`). The step files next to a whole job log are left out, counted once.
 */
function withoutStepLogs(files: Set<string>): string[] {
  const jobs = new Set<string>();
  for (const f of files) {
    const job = /^\d+_(.+)\.txt$/.exec(path.basename(f));
    if (job) jobs.add(path.join(path.dirname(f), job[1]));
  }
  return [...files].filter((f) => !(f.endsWith('.txt') && jobs.has(path.dirname(f))));
}

async function headHash(file: string, bytes = HEAD_BYTES): Promise<{ hash: string; text: string; bytes: number }> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    const head = buf.subarray(0, bytesRead);
    return { hash: createHash('sha256').update(head).digest('hex'), text: head.toString('utf8'), bytes: bytesRead };
  } finally {
    await handle.close();
  }
}

/** pytest's cache of the tests that failed last time: one event per test. */
async function lastFailed(file: string): Promise<ErrorEvent[]> {
  const ids = Object.keys(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>);
  return ids.map((id) => {
    const [testFile, ...rest] = id.split('::');
    const test = rest.join('::') || id;
    const message = `${test}: failed in the last pytest run`;
    return {
      tool: 'pytest',
      category: Category.testFailure,
      severity: 'error' as const,
      message,
      file: testFile,
      data: { test, suite: testFile },
      context: [id],
      startLine: 0,
      endLine: 0,
      ...fingerprintOf('pytest', Category.testFailure, message),
    };
  });
}

export type FileOutcome = 'scanned' | 'resumed' | 'unchanged';

export interface BackfillProgress {
  /** Bytes read so far in this run (across files). */
  bytes: number;
  file: string;
}

export interface BackfillResult {
  files: Array<{ file: string; outcome: FileOutcome; events: number; bytes: number }>;
  events: number;
  bytes: number;
}

/** What a run would do with each file (the --dry-run answer), from the checkpoints. */
export async function plan(
  store: LocalStore,
  files: LogFile[],
): Promise<Array<LogFile & { outcome: FileOutcome; from: number }>> {
  const checkpoints = backfillCheckpoints.get(await store.read());
  const out = [];
  for (const f of files) {
    const cp = checkpoints[f.file];
    const same = cp ? cp.head === (await headHash(f.file, cp.headBytes)).hash : false;
    if (same && cp!.size === f.size) out.push({ ...f, outcome: 'unchanged' as const, from: f.size });
    else if (same && f.size > cp!.offset && !f.file.endsWith('.xml') && !f.file.endsWith('lastfailed'))
      out.push({ ...f, outcome: 'resumed' as const, from: cp!.offset });
    else out.push({ ...f, outcome: 'scanned' as const, from: 0 });
  }
  return out;
}

export interface BackfillOptions {
  onProgress?: (p: BackfillProgress) => void;
  /** Scan files in this many worker threads running `workerFile` (see ScanPool); otherwise in this thread. */
  workers?: number;
  workerFile?: string;
  /** Called inside the write that records a file's events (the shared memory queues them there). */
  onRecorded?: (data: StoreData, events: ErrorEvent[], at: string) => void;
}

/**
 * Scans what changed since the last backfill and records it, one store write per file (its events with its
 * checkpoint). With workers, files are scanned in parallel and recorded in order as they finish.
 */
export async function backfill(
  store: LocalStore,
  files: LogFile[],
  options: BackfillOptions = {},
): Promise<BackfillResult> {
  const result: BackfillResult = { files: [], events: 0, bytes: 0 };
  const steps = await plan(store, files);
  const pool =
    options.workerFile && (options.workers ?? 1) > 1 && steps.filter((s) => s.outcome !== 'unchanged').length > 1
      ? new ScanPool(options.workerFile, options.workers!)
      : undefined;
  try {
    const scanStep = async (f: (typeof steps)[number]) => {
      if (f.outcome === 'unchanged') return { f, events: [] as ErrorEvent[], hash: '', headBytes: 0 };
      const { hash, text, bytes: headBytes } = await headHash(f.file);
      const counted = (n: number) => {
        result.bytes += n;
        options.onProgress?.({ bytes: result.bytes, file: f.file });
      };
      const job = { file: f.file, from: f.from, head: text };
      const events = f.file.endsWith(`${path.sep}lastfailed`)
        ? await lastFailed(f.file)
        : pool
          ? await pool.scan(job, counted)
          : await scanLogFile(job, counted);
      return { f, events, hash, headBytes };
    };
    // At most one scan per worker (or one in all) in flight; results are recorded in file order.
    const limit = pool ? options.workers! : 1;
    const inFlight: Array<ReturnType<typeof scanStep>> = [];
    const startNext = () => {
      if (inFlight.length >= steps.length) return;
      const scan = scanStep(steps[inFlight.length]);
      // Awaited in order below; if an earlier one fails first, this one's failure must not go unhandled.
      scan.catch(() => undefined);
      inFlight.push(scan);
    };
    for (let i = 0; i < limit; i++) startNext();
    for (let i = 0; i < steps.length; i++) {
      const { f, events, hash, headBytes } = await inFlight[i];
      startNext();
      if (f.outcome === 'unchanged') {
        result.files.push({ file: f.file, outcome: 'unchanged', events: 0, bytes: 0 });
        continue;
      }
      const at = new Date(f.mtimeMs).toISOString();
      await store.update((data) => {
        if (events.length) {
          recordRun(data, events, { source: 'backfill', commandLine: undefined, cwd: path.dirname(f.file) }, at);
          options.onRecorded?.(data, events, at);
        }
        const checkpoints = backfillCheckpoints.get(data);
        checkpoints[f.file] = { size: f.size, offset: f.size, head: hash, headBytes, at: new Date().toISOString() };
        backfillCheckpoints.set(data, checkpoints);
      });
      result.events += events.length;
      result.files.push({ file: f.file, outcome: f.outcome, events: events.length, bytes: f.size - f.from });
    }
  } finally {
    await pool?.close();
  }
  return result;
}
