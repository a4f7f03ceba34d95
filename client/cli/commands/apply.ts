import type { Command } from 'commander';
import { ApplyRefused, describeChange, prepareApply } from '../../../shared/apply/apply';
import { workspaceTrusted } from '../../../shared/validate/policy';
import type { CliEnv } from '../main';
import { CliError } from '../output';
import { refusalExitCode, runApply, type ApplyFlags } from '../applyFlow';

export function register(program: Command, env: CliEnv): void {
  program
    .command('apply')
    .description('apply a proposed fix: back up, change, re-run the failed command to verify, revert if it still fails')
    .argument('<fix-id>', 'the fix id shown by heal run / heal suggest (a unique prefix is enough)')
    .option('--dry-run', 'print the diff or the command, change nothing')
    .option('-y, --yes', 'apply fixes that need review without asking')
    .option('--allow-dangerous', 'accept a fix classified dangerous (it still needs --yes or a yes at the prompt)')
    .option('--no-verify', 'do not re-run the failed command afterwards')
    .option('--timeout <seconds>', 'time limit for the verification re-run (default 120, or verify.timeoutSeconds)')
    .action(async (fixId: string, flags: ApplyFlags & { dryRun?: boolean }) => {
      const out = env.output();
      if (!flags.dryRun) {
        await runApply(env, out, fixId, flags);
        return;
      }
      let prepared;
      try {
        prepared = await prepareApply(env.store(), fixId, workspaceTrusted(), { allowDangerous: flags.allowDangerous });
      } catch (e) {
        if (e instanceof ApplyRefused) throw new CliError(`heal apply: ${e.message}`, refusalExitCode(e));
        throw e;
      }
      const change = await describeChange(prepared);
      if (out.json) {
        out.printJson({ fix: prepared.proposal.fix, safety: prepared.verdict, cwd: prepared.root, change });
        return;
      }
      out.line(
        out.bold(
          `fix ${prepared.proposal.fix.id} (${prepared.verdict.safety}${prepared.verdict.reasons.length ? `: ${prepared.verdict.reasons.join('; ')}` : ''}) — dry run, nothing changed`,
        ),
      );
      out.line(change.trimEnd());
    });
}
