import { writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { exportPatterns } from '../../../shared/learn/exchange';
import type { CliEnv } from '../main';
import { CliError } from '../output';

/** Replaces the home directory with `~` (the full scrubber replaces this once it exists). */
export function scrubHome(text: string, home = os.homedir()): string {
  return home && home !== '/' ? text.split(home).join('~') : text;
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('export')
    .description('write the learned patterns, their fixes and outcome stats (home paths scrubbed)')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (flags: { format: string; output?: string }) => {
      if (flags.format !== 'yaml' && flags.format !== 'json') throw new CliError(`heal export: --format must be yaml or json, not "${flags.format}"`);
      const doc = exportPatterns(await env.store().read(), scrubHome);
      const text = flags.format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : stringify(doc);
      if (!flags.output) {
        process.stdout.write(text);
        return;
      }
      await writeFile(flags.output, text);
      env.output().line(`Exported ${doc.patterns.length} pattern${doc.patterns.length === 1 ? '' : 's'} to ${flags.output}.`);
    });
}
