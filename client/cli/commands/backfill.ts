import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { backfill, findLogs, plan } from '../../../shared/backfill/backfill';
import type { CliEnv } from '../main';
import { CliError, ExitCode, table } from '../output';

interface BackfillOptions {
  since?: string;
  dryRun?: boolean;
  npmLogs: boolean;
}

const mb = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MB`;

export function register(program: Command, env: CliEnv): void {
  program
    .command('backfill')
    .description(
      'learn from logs already on disk: *.log (not in dependency folders), JUnit XML, pytest last failures, npm debug logs; scans only what changed since the last backfill',
    )
    .argument('[paths...]', 'log files or folders (default: the current folder)')
    .option('--since <date>', 'only files changed since this date (YYYY-MM-DD or an ISO time)')
    .option('--dry-run', 'list what would be scanned, change nothing')
    .option('--no-npm-logs', "leave out npm's own debug logs (~/.npm/_logs)")
    .action(async (paths: string[], options: BackfillOptions) => {
      const out = env.output();
      const since = options.since === undefined ? undefined : new Date(options.since);
      if (since && Number.isNaN(since.getTime()))
        throw new CliError(`heal backfill: --since wants a date such as 2026-01-31, not "${options.since}"`);
      const files = await findLogs(paths.length ? paths : [process.cwd()], {
        since,
        includeNpmLogs: options.npmLogs,
      }).catch((e: Error) => {
        throw new CliError(`heal backfill: ${e.message}`, ExitCode.usage);
      });
      const store = env.store();
      const steps = await plan(store, files);
      const todo = steps.filter((s) => s.outcome !== 'unchanged');
      const total = todo.reduce((sum, s) => sum + s.size - s.from, 0);
      if (options.dryRun) {
        if (out.json)
          out.printJson({
            files: steps.map((s) => ({ file: s.file, size: s.size, outcome: s.outcome, from: s.from })),
            bytes: total,
          });
        else {
          out.line(
            `${todo.length} of ${steps.length} log file(s) to scan, ${mb(total)}${steps.length - todo.length ? `; ${steps.length - todo.length} unchanged since the last backfill` : ''}`,
          );
          if (steps.length)
            out.line(
              table(
                steps.map((s) => [
                  s.outcome === 'unchanged' ? 'skip' : s.outcome === 'resumed' ? `from ${mb(s.from)}` : 'scan',
                  mb(s.size - s.from),
                  path.relative(process.cwd(), s.file) || s.file,
                ]),
                ['ACTION', 'SIZE', 'FILE'],
              ),
            );
        }
        return;
      }
      const bar =
        process.stderr.isTTY && !out.json && total > 0
          ? new SingleBar({
              format: 'heal backfill [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted} | {file}',
              hideCursor: true,
              etaBuffer: 50,
            })
          : undefined;
      bar?.start(Math.ceil(total / (1 << 20)), 0, { file: '' });
      const started = Date.now();
      // Uploads of historical failures are background work: past the daily cost limit they wait in the queue.
      const shared = await env.shared.get();
      const result = await backfill(store, files, {
        onRecorded: shared ? (data, events, at) => shared.queueRun(data, events, at, true) : undefined,
        onProgress: (p) => bar?.update(Math.floor(p.bytes / (1 << 20)), { file: path.basename(p.file) }),
        // Files are scanned in worker threads running dist/scanWorker.js (see scanWorkerEntry.ts).
        workers: Math.max(1, Math.min(4, availableParallelism())),
        workerFile: path.join(__dirname, 'scanWorker.js'),
      }).finally(() => bar?.stop());
      if (shared) await env.shared.sync();
      const seconds = (Date.now() - started) / 1000;
      if (out.json) {
        out.printJson({ ...result, seconds });
        return;
      }
      const scanned = result.files.filter((f) => f.outcome !== 'unchanged');
      out.line(
        `heal backfill: ${scanned.length} file(s), ${mb(result.bytes)} in ${seconds.toFixed(1)} s; ${result.events} failure(s) recorded; ${result.files.length - scanned.length} file(s) unchanged since the last backfill.`,
      );
      if (result.events) out.line(out.dim('See them with heal status, and how often each happens with heal metrics.'));
    });
}
