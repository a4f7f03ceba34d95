import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Command } from 'commander';
import { normalizeText } from '../../../shared/capture';
import { scanText } from '../../../shared/detect/scanner';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';
import { printSuggestion, suggestAndRemember, suggestionToJson } from '../suggestions';

interface SuggestOptions {
  command?: string;
  output?: string;
  outputFile?: string;
  exitCode?: string;
  cwd?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('suggest')
    .description('ranked fix suggestions for a failed command and its output')
    .option('--command <cmd>', 'the command line that failed')
    .option('--output <text>', 'what the command printed')
    .option('--output-file <file>', 'read what the command printed from a file')
    .option('--exit-code <n>', "the command's exit code")
    .option('--cwd <dir>', 'where the command ran (default: here)')
    .action(async (options: SuggestOptions) => {
      const out = env.output();
      if (options.output !== undefined && options.outputFile)
        throw new CliError('heal suggest: give --output or --output-file, not both');
      if (options.exitCode !== undefined && !/^-?\d+$/.test(options.exitCode))
        throw new CliError(`heal suggest: --exit-code must be a number, got "${options.exitCode}"`);
      if (!options.command && options.output === undefined && !options.outputFile && process.stdin.isTTY) {
        throw new CliError(
          'heal suggest: nothing to go on. Give --command "<cmd>" and the output (--output, --output-file, or on stdin).',
        );
      }
      let text = options.output ?? '';
      if (options.outputFile)
        text = await readFile(options.outputFile, 'utf8').catch(() => {
          throw new CliError(`heal suggest: cannot read ${options.outputFile}`);
        });
      else if (options.output === undefined && !process.stdin.isTTY) text = await readStdin();
      // No command and no output (e.g. an empty stdin): bad usage, not "no suggestion".
      if (!options.command && !text.trim())
        throw new CliError(
          'heal suggest: nothing to go on. Give --command "<cmd>" and the output (--output, --output-file, or on stdin).',
        );
      const cwd = path.resolve(options.cwd ?? process.cwd());
      const events = scanText(text, { context: { commandLine: options.command, cwd } }).events;
      const suggestions = await suggestAndRemember(
        env.store(),
        {
          events,
          command: options.command,
          output: normalizeText(text),
          exitCode: options.exitCode === undefined ? undefined : Number(options.exitCode),
          cwd,
        },
        10,
        (await env.shared.get())?.remote,
      );
      if (out.json) out.printJson(suggestions.map(suggestionToJson));
      else if (suggestions.length === 0) out.line('heal: no suggestion for this failure');
      else suggestions.forEach((s, i) => printSuggestion(out, s, i === 0 ? 'best' : `#${i + 1}`));
      process.exitCode = suggestions.length > 0 ? ExitCode.ok : ExitCode.findings;
    });
}
