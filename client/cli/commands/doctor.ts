import type { Command } from 'commander';
import { loadConfig } from '../../../shared/config';
import { localChecks, remoteCheck, sharedMemoryCheck, type CheckResult } from '../../../shared/doctor/doctor';
import { SharedMemory } from '../../../shared/remote/sharedMemory';
import type { CliEnv } from '../main';
import { ExitCode, table } from '../output';
import { VERSION } from '../version';

export function register(program: Command, env: CliEnv): void {
  program
    .command('doctor')
    .description("check Heal's environment: OS, shell, Node, git, package managers, store, circuit breaker, remote")
    .option('--remote-timeout <ms>', 'time limit for the remote check', '3000')
    .action(async (options: { remoteTimeout: string }) => {
      const out = env.output();
      const started = performance.now();
      const config = await loadConfig().catch(() => ({}));
      const timeout = Number(options.remoteTimeout) || 3000;
      // The remote check starts at once but never delays the local result.
      const remote = (async () => {
        try {
          const shared = await SharedMemory.fromConfig(env.store(), config, process.cwd());
          if (!shared) return await remoteCheck(undefined);
          return await sharedMemoryCheck(shared, timeout).finally(() => shared.close());
        } catch (e) {
          return remoteCheck(undefined, timeout, (e as Error).message);
        }
      })();
      const local = await localChecks({ storeDir: env.store().dir, version: VERSION });
      const localMs = performance.now() - started;
      const print = (results: CheckResult[]) =>
        out.line(
          table(
            results.map((r) => [
              r.status === 'ok' ? out.green('ok') : r.status === 'warn' ? out.yellow('warn') : out.red('fail'),
              r.title,
              r.detail,
              r.hint ?? '',
            ]),
            ['', 'CHECK', 'RESULT', 'FIX'],
          ),
        );
      if (!out.json) {
        print(local);
        out.line(out.dim(`local checks: ${localMs.toFixed(0)} ms`));
      }
      const all = [...local, await remote];
      if (out.json) out.printJson({ checks: all, localMs: Math.round(localMs) });
      else print([all[all.length - 1]]);
      process.exitCode = all.some((r) => r.status === 'fail') ? ExitCode.findings : ExitCode.ok;
    });
}
