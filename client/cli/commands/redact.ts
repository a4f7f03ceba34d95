import * as readline from 'node:readline';
import type { Command } from 'commander';
import { scrub } from '../../../shared/scrub';
import type { CliEnv } from '../main';

/** Longest private-key block held back while looking for its END line. */
const MAX_KEY_LINES = 200;

export function register(program: Command, _env: CliEnv): void {
  program
    .command('redact')
    .description('copy stdin to stdout with secrets, e-mail addresses and home-folder user names masked (streaming)')
    .option('--network', 'also mask IP addresses and host names, as for everything that leaves the machine')
    .action(async (options: { network?: boolean }) => {
      const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
      let keyBlock: string[] | undefined;
      const write = (text: string) => process.stdout.write(text + '\n');
      for await (const line of rl) {
        if (keyBlock) {
          keyBlock.push(line);
          if (/-----END [A-Z0-9 ]*PRIVATE KEY/.test(line) || keyBlock.length >= MAX_KEY_LINES) {
            write(scrub(keyBlock.join('\n'), options));
            keyBlock = undefined;
          }
          continue;
        }
        if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(line) && !/-----END/.test(line)) {
          keyBlock = [line];
          continue;
        }
        write(scrub(line, options));
      }
      if (keyBlock) write(scrub(keyBlock.join('\n'), options));
    });
}
