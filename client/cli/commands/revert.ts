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
    .action(async (id: string) => {
      const out = env.output();
      let app;
      try {
        app = await revertApplication(env.store(), id);
      } catch (e) {
        if (e instanceof RevertError) throw new CliError(`heal revert: ${e.message}`, ExitCode.findings);
        if (e instanceof BackupError) throw new CliError(`heal revert: ${e.message}`, ExitCode.store);
        throw e;
      }
      await env.shared.afterApply('reverted');
      if (out.json) out.printJson({ application: app });
      else out.line(out.green(`✓ apply ${app.id} reverted: ${app.reason}`));
    });
}
