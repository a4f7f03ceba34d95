import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { scanStream } from '../../../shared/detect/scanner';
import { JUnitError, looksLikeJUnit, scanJUnit } from '../../../shared/detect/junit';
import type { ErrorEvent } from '../../../shared/detect/detector';
import { recordRun } from '../../../shared/store/patterns';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';
import { eventToJson } from '../eventJson';
import { printFindings } from '../findings';

interface ScanOptions {
  record: boolean;
}

async function isJUnit(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return looksLikeJUnit(file, head.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

async function readJUnit(file: string): Promise<ErrorEvent[]> {
  try {
    return await scanJUnit(createReadStream(file));
  } catch (e) {
    if (e instanceof JUnitError) throw new CliError(`heal scan: ${file}: ${e.message}`, ExitCode.usage);
    throw e;
  }
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('scan')
    .description('detect failures in log files, JUnit XML reports or stdin (-), record them and print grouped findings')
    .argument('[files...]', 'log files to scan; - or nothing reads stdin')
    .option('--no-record', 'do not record findings in the store')
    .action(async (files: string[], options: ScanOptions) => {
      const out = env.output();
      const inputs = files.length === 0 ? ['-'] : files;
      if (inputs.includes('-') && process.stdin.isTTY) {
        throw new CliError(
          'heal scan: nothing to read. Give log files, or pipe output in: some-command 2>&1 | heal scan -',
        );
      }
      for (const file of inputs) {
        if (file === '-') continue;
        const info = await stat(file).catch(() => undefined);
        if (!info) throw new CliError(`heal scan: cannot read ${file}: no such file`, ExitCode.usage);
        if (info.isDirectory())
          throw new CliError(
            `heal scan: ${file} is a directory; give log files (or use heal backfill ${file})`,
            ExitCode.usage,
          );
      }
      const all: Array<{ source: string; events: ErrorEvent[] }> = [];
      const shared = options.record ? await env.shared.get() : undefined;
      for (const file of inputs) {
        const started = Date.now();
        const result =
          file !== '-' && (await isJUnit(file))
            ? { events: await readJUnit(file) }
            : await scanStream(file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 }));
        all.push({ source: file === '-' ? 'stdin' : file, events: result.events });
        if (options.record && result.events.length > 0) {
          await env.store().update((data) => {
            const record = recordRun(data, result.events, {
              source: file === '-' ? 'stdin' : 'file',
              commandLine: undefined,
              durationMs: Date.now() - started,
            });
            shared?.queueRun(data, result.events, record.at);
          });
        }
      }
      const events = all.flatMap((a) => a.events);
      if (out.json) {
        out.printJson({ events: all.flatMap((a) => a.events.map((e) => eventToJson(e, a.source))) });
      } else {
        printFindings(out, events);
      }
      if (shared) await env.shared.sync();
      process.exitCode = events.some((e) => e.severity === 'error') ? ExitCode.findings : ExitCode.ok;
    });
}
