// A scratch PostgreSQL 15 cluster per test file: initdb into a temp dir, loopback port, trust auth.
// Real Supabase runs PG 15 as well, so SQL that passes here behaves the same there.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgServer {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:PORT/postgres (superuser, trust auth). */
  readonly connectionString: string;
  readonly dataDir: string;
  /** Immediate shutdown (like a crash); data and port are kept, so `start()` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop and delete the temp dir. Idempotent. */
  destroy(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Directory holding initdb/pg_ctl/postgres; default PostgreSQL 15 from Debian, installed by apt when missing. */
  binDir?: string;
  /** Extra postgresql.conf lines. */
  settings?: Record<string, string | number>;
}

const DEFAULT_BIN = '/usr/lib/postgresql/15/bin';
const APT_LOCK = '/tmp/heal-apt.lock';
const isRoot = process.getuid?.() === 0;

/** Servers still running in this process; stopped synchronously on exit so no postmaster outlives the tests. */
const live = new Map<string, { pgCtl: string[]; dir: string; watchdog?: number }>();
let exitHookInstalled = false;

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  // Postgres refuses to run as root; the Debian package creates the `postgres` user.
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function ensureBinaries(binDir: string): Promise<void> {
  const needServer = !existsSync(path.join(binDir, 'postgres'));
  const needContrib = !existsSync('/usr/share/postgresql/15/extension/pg_trgm.control');
  if (binDir !== DEFAULT_BIN && needServer) throw new Error(`No postgres binary in ${binDir}`);
  if (!needServer && !needContrib) return;
  // The checks are repeated under the lock: a concurrent test file may have installed it meanwhile.
  // Never a plain `apt-get install` of an installed package: that would upgrade it.
  const script = [
    'set -e',
    'export DEBIAN_FRONTEND=noninteractive',
    `if [ ! -x ${DEFAULT_BIN}/postgres ]; then apt-get update -q && apt-get install -y -q --no-install-recommends postgresql-15; fi`,
    'if [ ! -e /usr/share/postgresql/15/extension/pg_trgm.control ]; then apt-get install -y -q --no-install-recommends postgresql-contrib-15 || apt-get install -y -q --no-install-recommends postgresql-contrib; fi',
  ].join('\n');
  const [cmd, args] = isRoot
    ? ['flock', [APT_LOCK, 'sh', '-c', script]]
    : ['sudo', ['-n', 'flock', APT_LOCK, 'sh', '-c', script]];
  await run(cmd, args, { timeout: 300_000, maxBuffer: 16 << 20 });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const { pgCtl, dir, watchdog } of live.values()) {
      spawnSync(pgCtl[0], [...pgCtl.slice(1), 'stop', '-m', 'immediate', '-w'], { stdio: 'ignore' });
      if (watchdog) killQuietly(watchdog);
      spawnSync('rm', ['-rf', dir], { stdio: 'ignore' });
    }
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {
    // already gone
  }
}

/**
 * A detached shell that stops the cluster and deletes its dir once this process is gone, whatever the
 * reason (SIGKILL, a worker terminated by vitest). The exit hook covers only normal exits.
 */
function startWatchdog(pgCtl: string[], dir: string): number | undefined {
  const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${pgCtl.map(quoted).join(' ')} stop -m immediate -w >/dev/null 2>&1; rm -rf ${quoted(dir)}`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PgServer> {
  const binDir = options.binDir ?? DEFAULT_BIN;
  await ensureBinaries(binDir);
  const dir = await mkdtemp(path.join(tmpdir(), 'heal-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'pg.log');
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, uid, Number(gid.trim()));
  }
  const [pgCtlCmd, pgCtlArgs] = asPostgres(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile]);
  const pgCtl = [pgCtlCmd, ...pgCtlArgs];
  const ctl = (...args: string[]) => run(pgCtl[0], [...pgCtl.slice(1), ...args], { timeout: 60_000 });

  try {
    const [initCmd, initArgs] = asPostgres(path.join(binDir, 'initdb'), [
      ...['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    ]);
    await run(initCmd, initArgs, { timeout: 60_000 });
    // Settings live in an included file so a port retry only rewrites that file.
    await appendFile(path.join(dataDir, 'postgresql.conf'), "\ninclude_if_exists = 'heal.conf'\n");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    // fsync off is safe for a process "crash" (stop -m immediate): written WAL survives in the page cache.
    // synchronous_commit stays on, or commits acknowledged just before an outage would be lost.
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    max_connections: 50,
    ...options.settings,
  };
  const writeConf = (port: number) =>
    writeFile(
      path.join(dataDir, 'heal.conf'),
      Object.entries({ ...settings, port })
        .map(([k, v]) => `${k} = '${String(v).replace(/'/g, "''")}'\n`)
        .join(''),
    );

  let port = 0;
  let running = false;
  let destroyed = false;
  const startOnce = async () => {
    await ctl('-w', '-t', '30', 'start');
    running = true;
  };

  // A free port can be taken between probing and binding by a parallel test file: retry with another.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    await writeConf(port);
    try {
      await startOnce();
      break;
    } catch (error) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      if (attempt < 5 && /could not bind|address already in use/i.test(log)) continue;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`pg_ctl start failed: ${(error as Error).message}\n${log.slice(-2000)}`);
    }
  }

  installExitHook();
  live.set(dir, { pgCtl, dir, watchdog: startWatchdog(pgCtl, dir) });

  const server: PgServer = {
    port,
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (!running) return;
      running = false;
      await ctl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
    },
    async start() {
      if (destroyed) throw new Error('PgServer was destroyed');
      if (running) return;
      await startOnce();
    },
    async destroy() {
      if (destroyed) return;
      await server.stop();
      destroyed = true;
      const entry = live.get(dir);
      live.delete(dir);
      if (entry?.watchdog) killQuietly(entry.watchdog);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Line number of a character offset, for error messages that point into a migration. */
function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/**
 * Run SQL as one simple-protocol query (several statements allowed). A string is SQL text; an array is a
 * list of files applied in order. Errors name the file and line.
 */
export async function applySql(connectionString: string, sql: string | readonly string[]): Promise<void> {
  const scripts: { name: string; text: string }[] =
    typeof sql === 'string'
      ? [{ name: '<sql>', text: sql }]
      : await Promise.all(sql.map(async (file) => ({ name: file, text: await readFile(file, 'utf8') })));
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const { name, text } of scripts) {
      try {
        await client.query(text);
      } catch (error) {
        const e = error as Error & { position?: string };
        const where = e.position ? `${name}:${lineOf(text, Number(e.position))}` : name;
        throw new Error(`${where}: ${e.message}`, { cause: error });
      }
    }
  } finally {
    await client.end();
  }
}
