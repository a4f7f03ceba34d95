import type { Command } from 'commander';
import { RevertError, revertApplication } from '../../../shared/apply/revert';
import { BackupError } from '../../../shared/apply/backup';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('revert')
    .description('undo an apply: put every file it changed back exactly as it was (content and mode)')
    .argument('<apply-id>', 'the apply id shown by heal apply / heal status')
    .option('--force', 'revert even files changed since the apply (those later changes are lost)')
    .action(async (id: string, flags: { force?: boolean }) => {
      const out = env.output();
      let app;
      try {
        app = await revertApplication(env.store(), id, undefined, { force: flags.force });
      } catch (e) {
        // An unknown id is bad usage, like heal apply's; the other refusals say why (changed since, running…).
        if (e instanceof RevertError)
          throw new CliError(
            `heal revert: ${e.message}`,
            e.code === 'unknown-apply' ? ExitCode.usage : ExitCode.refused,
          );
        if (e instanceof BackupError) throw new CliError(`heal revert: ${e.message}`, ExitCode.store);
        throw e;
      }
      await env.shared.afterApply('reverted');
      if (out.json) out.printJson({ application: app });
      else out.line(out.green(`✓ apply ${app.id} reverted: ${app.reason}`));
    });
}
