import * as readline from 'node:readline';
import type { Command } from 'commander';
import { fingerprintLine } from '../../../shared/fingerprint';
import type { CliEnv } from '../main';

export function register(program: Command, env: CliEnv): void {
  program
    .command('fingerprint')
    .description("read lines on stdin and print each line's fine and coarse fingerprint")
    .action(async () => {
      const out = env.output();
      const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of rl) {
        const fp = fingerprintLine(line);
        if (out.json) process.stdout.write(JSON.stringify({ line, ...fp }) + '\n');
        else process.stdout.write(`${fp.fingerprint} ${fp.coarseFingerprint} ${line}\n`);
      }
    });
}
