import type { Command } from 'commander';
import { warmCache } from '../../../shared/remote/cacheWarming';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('sync')
    .description(
      "send the writes queued for the team's shared memory and pull its most frequent patterns into the local cache",
    )
    .option('--timeout <seconds>', 'time limit for sending', '30')
    .action(async (options: { timeout: string }) => {
      const out = env.output();
      const seconds = Number(options.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new CliError(`heal sync: --timeout must be a positive number of seconds, not "${options.timeout}"`);
      const shared = await env.shared.get();
      if (!shared)
        throw new CliError(
          'heal sync: no shared memory is configured (heal config set remote.url …, remote.anonKey, remote.project; or SUPABASE_URL, SUPABASE_ANON_KEY, HEAL_PROJECT)',
          ExitCode.usage,
        );
      const flushed = await shared.sync(seconds * 1000);
      const warmed = flushed.error ? undefined : await warmCache(shared.store, shared.remote).catch((e: Error) => e);
      const failure = flushed.error?.message ?? (warmed instanceof Error ? warmed.message : undefined);
      if (out.json) {
        out.printJson({
          host: shared.remote.host,
          project: shared.remote.settings.project,
          sent: flushed.sent,
          rejected: flushed.rejected,
          pending: flushed.left,
          cached: typeof warmed === 'number' ? warmed : null,
          error: failure ?? null,
        });
      } else {
        out.line(
          `heal sync: ${flushed.sent} write(s) sent to ${shared.remote.host} (project ${shared.remote.settings.project}), ${flushed.left} still queued${flushed.rejected ? `, ${flushed.rejected} refused by the server and dropped` : ''}.`,
        );
        if (typeof warmed === 'number') out.line(`heal sync: ${warmed} pattern(s) of the team cached locally.`);
        if (failure) out.warn(`heal sync: ${failure}`);
      }
      if (failure) process.exitCode = ExitCode.findings;
    });
}
