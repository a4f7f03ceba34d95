import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { ImportError, importPatterns, parseExchange } from '../../../shared/learn/exchange';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('import')
    .description('add patterns and fixes from a heal export (YAML or JSON); an invalid file changes nothing')
    .argument('<file>', 'a file written by heal export')
    .action(async (file: string) => {
      const out = env.output();
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new CliError(`heal import: cannot read ${file}: ${(e as Error).message}`);
      }
      let raw: unknown;
      try {
        raw = parse(text); // YAML is a superset of JSON.
      } catch (e) {
        throw new CliError(
          `heal import: ${file} is neither YAML nor JSON (${(e as Error).message.split('\n')[0]}). Nothing was imported.`,
          ExitCode.findings,
        );
      }
      let summary;
      try {
        const doc = parseExchange(raw, file);
        summary = await env.store().update((data) => importPatterns(data, doc));
      } catch (e) {
        if (e instanceof ImportError) throw new CliError(`heal import: ${e.message}`, ExitCode.findings);
        throw e;
      }
      if (out.json) out.printJson(summary);
      else {
        out.line(
          `Imported ${summary.added} new pattern${summary.added === 1 ? '' : 's'}; added fixes to ${summary.merged} known one${summary.merged === 1 ? '' : 's'}.`,
        );
        out.line(
          out.dim(
            'Imported fixes start with no local track record: they are suggested, but never applied automatically until one was verified here (heal apply <fix-id>).',
          ),
        );
      }
    });
}
