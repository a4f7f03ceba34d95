import type { Command } from 'commander';
import { runCommand } from '../../../shared/runCommand';
import { recordRun } from '../../../shared/store/patterns';
import type { CliEnv } from '../main';
import { CliError } from '../output';
import { eventToJson } from '../eventJson';
import { printFindings } from '../findings';

export function register(program: Command, env: CliEnv): void {
  program
    .command('run')
    .description("run a command, pass its output through unchanged, recognise failures and exit with the command's own code")
    .argument('<command...>', 'the command and its arguments, after --')
    .allowUnknownOption()
    .action(async (argv: string[]) => {
      const out = env.output();
      if (argv.length === 0) throw new CliError('heal run: give a command after --, e.g. heal run -- npm test');
      const result = await runCommand(argv, {
        cwd: process.cwd(),
        stdout: out.json ? process.stderr : process.stdout,
        stderr: process.stderr,
        detect: env.enabled,
      });
      process.exitCode = result.exitCode;
      if (!env.enabled) return;
      const at = new Date(result.startedAt).toISOString();
      await env.store().update((data) => {
        recordRun(data, result.events, { source: 'terminal', commandLine: result.commandLine, cwd: process.cwd(), exitCode: result.exitCode, durationMs: result.durationMs }, at);
      });
      if (out.json) {
        out.printJson({ command: result.commandLine, exitCode: result.exitCode, durationMs: result.durationMs, events: result.events.map((e) => eventToJson(e)) });
      } else if (result.exitCode !== 0 || result.events.some((e) => e.severity === 'error')) {
        process.stderr.write('\n');
        printFindings(env.output(process.stderr), result.events, result.exitCode);
      }
    });
}
