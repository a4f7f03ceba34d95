import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { exportPatterns } from '../../../shared/learn/exchange';
import type { CliEnv } from '../main';
import { CliError } from '../output';
import { scrubOutgoing } from '../../../shared/scrub';

export function register(program: Command, env: CliEnv): void {
  program
    .command('export')
    .description(
      'write the learned patterns, their fixes and outcome stats (secrets, e-mail addresses, home-folder user names, IP addresses and host names scrubbed)',
    )
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (flags: { format: string; output?: string }) => {
      if (flags.format !== 'yaml' && flags.format !== 'json')
        throw new CliError(`heal export: --format must be yaml or json, not "${flags.format}"`);
      const doc = exportPatterns(await env.store().read(), (text) => scrubOutgoing(text));
      const text = flags.format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : stringify(doc);
      if (!flags.output) {
        process.stdout.write(text);
        return;
      }
      await writeFile(flags.output, text);
      env
        .output()
        .line(`Exported ${doc.patterns.length} pattern${doc.patterns.length === 1 ? '' : 's'} to ${flags.output}.`);
    });
}
