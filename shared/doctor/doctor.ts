// Doctor: Heal checks its own environment. Local checks run in parallel and finish fast; the remote check has
// its own timeout and never holds back the local result.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalStore } from '../store/localStore';
import { remoteQueue } from '../remote/offlineQueue';
import { remoteHealth } from '../remote/remoteHealth';
import type { SharedMemory } from '../remote/sharedMemory';
import { breakerSection, breakerView } from '../learn/circuitBreaker';
import { loadConfig } from '../config';
import { reportSection } from '../report/outbox';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  /** One line saying how to fix it, when it is not ok. */
  hint?: string;
  ms: number;
}

export interface DoctorContext {
  storeDir: string;
  version: string;
  env?: NodeJS.ProcessEnv;
  /** Extra checks from the face running the doctor (the editor adds VS Code and shell integration). */
  extra?: Array<() => Promise<Omit<CheckResult, 'ms'>>>;
  /** Time limit for each probe of an external program. */
  probeTimeoutMs?: number;
}

function probe(cmd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) =>
      resolve(err ? undefined : (stdout || stderr).trim().split('\n')[0]),
    );
  });
}

async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const info = await stat(path.join(dir, program)).catch(() => undefined);
    if (info?.isFile() && info.mode & 0o111) return true;
  }
  return false;
}

async function timed(
  id: string,
  title: string,
  fn: () => Promise<Omit<CheckResult, 'id' | 'title' | 'ms'>>,
): Promise<CheckResult> {
  const start = performance.now();
  try {
    return { id, title, ...(await fn()), ms: performance.now() - start };
  } catch (e) {
    return { id, title, status: 'fail', detail: (e as Error).message, ms: performance.now() - start };
  }
}

export async function localChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const env = ctx.env ?? process.env;
  const t = ctx.probeTimeoutMs ?? 2000;
  const store = new LocalStore(ctx.storeDir);
  const tools = ['npm', 'pnpm', 'yarn', 'pip', 'pip3', 'cargo', 'go'];
  // One read of the store for all the checks that look into it (each read parses and validates the document).
  const fileInfo = stat(store.file).catch(() => undefined);
  const snapshot = fileInfo.then((info) => (info ? store.read() : undefined));
  const checks: Array<Promise<CheckResult>> = [
    timed('platform', 'Operating system', async () => ({
      status: 'ok',
      detail: `${os.type()} ${os.release()} ${process.arch}`,
    })),
    timed('node', 'Node.js', async () => {
      const major = Number(process.versions.node.split('.')[0]);
      return major >= 20
        ? { status: 'ok', detail: process.version }
        : { status: 'fail', detail: process.version, hint: 'Install Node.js 20 or newer.' };
    }),
    timed('shell', 'Shell', async () => {
      const shell = env.SHELL ?? env.ComSpec ?? '';
      const name = path.basename(shell);
      if (!shell)
        return {
          status: 'warn',
          detail: 'unknown',
          hint: 'Set SHELL; shell integration works with bash, zsh, fish and PowerShell.',
        };
      const version = /^(bash|zsh|fish)$/.test(name) ? await probe(shell, ['--version'], t) : undefined;
      return /^(bash|zsh|fish|pwsh|powershell)/.test(name)
        ? { status: 'ok', detail: version ?? name }
        : {
            status: 'warn',
            detail: name,
            hint: 'VS Code shell integration (terminal capture) supports bash, zsh, fish and PowerShell; use `heal run -- …` elsewhere.',
          };
    }),
    timed('git', 'git', async () => {
      const v = await probe('git', ['--version'], t);
      return v
        ? { status: 'ok', detail: v }
        : {
            status: 'warn',
            detail: 'not found',
            hint: 'Install git for the git rules and for reports that name a commit.',
          };
    }),
    timed('package-managers', 'Package managers', async () => {
      // Presence on PATH only: starting pip or cargo just to print a version costs hundreds of milliseconds.
      const found = (
        await Promise.all(tools.map(async (tool) => ((await onPath(tool, env)) ? tool : undefined)))
      ).filter(Boolean);
      return found.length
        ? { status: 'ok', detail: found.join(', ') }
        : {
            status: 'warn',
            detail: 'none found',
            hint: 'Fixes that install packages need npm, pip, cargo or go on PATH.',
          };
    }),
    timed('store', 'Store', async () => {
      const info = await fileInfo;
      const data = await snapshot;
      if (!info || !data) return { status: 'ok', detail: `${store.file} (not created yet)` };
      const lock = await stat(`${store.file}.lock`).catch(() => undefined);
      const backups = (await readdir(store.backupsDir).catch(() => [])).length;
      const detail = `${store.file}, ${(info.size / 1024).toFixed(0)} KiB, ${Object.keys(data.patterns).length} patterns, ${backups} backup(s)`;
      if (lock && Date.now() - lock.mtimeMs > 10_000)
        return {
          status: 'warn',
          detail: `${detail}; stale lock`,
          hint: `No Heal process holds it: remove ${store.file}.lock.`,
        };
      return { status: 'ok', detail };
    }),
    timed('breaker', 'Circuit breaker', async () => {
      const data = await snapshot;
      const b = breakerView(data ? breakerSection.get(data) : { state: 'closed', reverts: [] }, Date.now());
      return b.state === 'closed'
        ? { status: 'ok', detail: 'closed' }
        : {
            status: 'warn',
            detail: b.state,
            hint: 'Fixes were reverted repeatedly; Heal pauses applying. `heal status` says until when.',
          };
    }),
    timed('reports', 'Diagnostic reports', async () => {
      const data = await snapshot;
      const r = data ? reportSection.get(data) : { queue: [], filed: [] };
      const open = r.filed.filter((f) => f.status === 'open').length;
      const detail = `${r.queue.length} waiting to be sent, ${r.filed.length} filed (${open} open)`;
      return r.queue.length
        ? {
            status: 'warn',
            detail,
            hint: 'The report endpoint was unreachable; the queue is sent after the next heal run.',
          }
        : { status: 'ok', detail };
    }),
    timed('queue', 'Offline queue (shared memory)', async () => {
      const data = await snapshot;
      const q = data ? remoteQueue.get(data) : { items: [], dropped: 0 };
      const detail = `${q.items.length} write(s) waiting${q.dropped ? `, ${q.dropped} dropped when the queue was full` : ''}`;
      return q.items.length > 1000 || q.dropped
        ? {
            status: 'warn',
            detail,
            hint: 'The shared memory has been unreachable for a while; `heal sync` sends the queue when it is back.',
          }
        : { status: 'ok', detail };
    }),
    timed('config', 'Configuration', async () => {
      const c = await loadConfig(env);
      return {
        status: 'ok',
        detail: `remote ${(c['remote.url'] ?? env.SUPABASE_URL) ? 'configured' : 'not configured (embedded store only)'}, auto-apply ${c.autoApply ?? 'off'}`,
      };
    }),
    timed('version', 'Heal', async () => ({ status: 'ok', detail: ctx.version })),
  ];
  for (const [i, extra] of (ctx.extra ?? []).entries()) {
    checks.push(
      (async () => {
        const start = performance.now();
        try {
          return { ...(await extra()), ms: performance.now() - start };
        } catch (e) {
          return {
            id: `extra-${i}`,
            title: 'check',
            status: 'fail' as const,
            detail: (e as Error).message,
            ms: performance.now() - start,
          };
        }
      })(),
    );
  }
  return Promise.all(checks);
}

/** Reachability and latency of the configured remote, bounded by its own timeout. */
export async function remoteCheck(url: string | undefined, timeoutMs = 3000, problem?: string): Promise<CheckResult> {
  const start = performance.now();
  if (problem)
    return {
      id: 'remote',
      title: 'Shared memory (remote)',
      status: 'fail',
      detail: problem,
      hint: 'Complete the shared memory settings (URL, anon key, project) or clear the URL.',
      ms: 0,
    };
  if (!url) return { id: 'remote', title: 'Shared memory (remote)', status: 'ok', detail: 'not configured', ms: 0 };
  try {
    const res = await fetch(new URL('rest/v1/', url), { signal: AbortSignal.timeout(timeoutMs) });
    const ms = performance.now() - start;
    return {
      id: 'remote',
      title: 'Shared memory (remote)',
      status: res.status < 500 ? 'ok' : 'warn',
      detail: `${new URL(url).host} answered ${res.status} in ${ms.toFixed(0)} ms`,
      ms,
    };
  } catch (e) {
    return {
      id: 'remote',
      title: 'Shared memory (remote)',
      status: 'warn',
      detail: `${new URL(url).host} unreachable (${(e as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (e as Error).message})`,
      hint: 'Check the URL and your network; Heal keeps working on the local store and queues writes.',
      ms: performance.now() - start,
    };
  }
}

/** The configured shared memory, asked as Heal asks it (authenticated, its project): latency, team breaker, queue. */
export async function sharedMemoryCheck(shared: SharedMemory, timeoutMs = 3000): Promise<CheckResult> {
  const h = await remoteHealth(shared, timeoutMs);
  const where = `${h.host} (project ${h.project})`;
  const queue = `${h.pending} write(s) queued, ${h.cachedPatterns} pattern(s) cached, ${h.callsToday}/${h.dailyLimit} calls today`;
  if (!h.reachable)
    return {
      id: 'remote',
      title: 'Shared memory (remote)',
      status: 'warn',
      detail: `${where}: ${h.error}; ${queue}`,
      hint: 'Heal keeps working on the local store and sends the queued writes when the shared memory is back.',
      ms: timeoutMs,
    };
  const busy = h.callsToday >= h.dailyLimit;
  return {
    id: 'remote',
    title: 'Shared memory (remote)',
    status: h.breaker?.state === 'open' || busy ? 'warn' : 'ok',
    detail: `${where} answered in ${h.latencyMs} ms; team circuit breaker ${h.breaker?.state}; ${queue}`,
    ...(busy
      ? { hint: 'The daily limit of remote calls is reached: raise cost.dailyLimit or wait until tomorrow.' }
      : h.breaker?.state === 'open'
        ? { hint: "Fixes were reverted repeatedly across the team; applying pauses until the team's breaker re-opens." }
        : {}),
    ms: h.latencyMs ?? 0,
  };
}

export function toMarkdown(results: CheckResult[]): string {
  const icon = { ok: '✅', warn: '⚠️', fail: '❌' } as const;
  return (
    [
      '| | Check | Result | Fix |',
      '|---|---|---|---|',
      ...results.map((r) => `| ${icon[r.status]} | ${r.title} | ${r.detail.replace(/\|/g, '\\|')} | ${r.hint ?? ''} |`),
    ].join('\n') + '\n'
  );
}
