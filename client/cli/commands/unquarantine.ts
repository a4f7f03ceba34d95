import type { Command } from 'commander';
import { findPattern, unquarantine, UnknownPatternError } from '../../../shared/learn/quarantine';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('unquarantine')
    .description('let fixes for a quarantined pattern be suggested and applied again')
    .argument('<fingerprint>', 'the fingerprint shown by heal status (a unique prefix is enough)')
    .action(async (fingerprint: string) => {
      const out = env.output();
      const { pattern, was } = await env
        .store()
        .update((data) => {
          const was = findPattern(data, fingerprint).quarantined;
          return { pattern: unquarantine(data, fingerprint), was };
        })
        .catch((e: unknown) => {
          if (e instanceof UnknownPatternError) throw new CliError(`heal unquarantine: ${e.message}`, ExitCode.usage);
          throw e;
        });
      if (out.json) out.printJson({ fingerprint: pattern.fingerprint, quarantined: false });
      else
        out.line(
          was === false
            ? `${pattern.fingerprint} was not quarantined; nothing changed.`
            : `${pattern.fingerprint} is no longer quarantined.`,
        );
    });
}
