import type { Command } from 'commander';
import { ignore, UnknownPatternError } from '../../../shared/learn/quarantine';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('ignore')
    .description('stop reporting an issue and suggesting fixes for it')
    .argument('<fingerprint>', 'the fingerprint shown by heal status (a unique prefix is enough)')
    .action(async (fingerprint: string) => {
      const out = env.output();
      const pattern = await env
        .store()
        .update((data) => ignore(data, fingerprint))
        .catch((e: unknown) => {
          if (e instanceof UnknownPatternError) throw new CliError(`heal ignore: ${e.message}`, ExitCode.usage);
          throw e;
        });
      if (out.json) out.printJson({ fingerprint: pattern.fingerprint, ignored: true });
      else
        out.line(
          `Ignoring ${pattern.fingerprint} (${pattern.tool}: ${(pattern.examples[0] ?? pattern.message).slice(0, 80)}).`,
        );
    });
}
