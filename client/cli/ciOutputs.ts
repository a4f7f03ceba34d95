// CI outputs of `heal run --ci`: annotations, job summary, SARIF file, and the exit code policy.
import { appendFile, writeFile } from 'node:fs/promises';
import type { ErrorEvent } from '../../shared/detect/detector';
import { annotation } from '../../shared/ci/annotations';
import { jobSummary } from '../../shared/ci/jobSummary';
import { sarifLog } from '../../shared/ci/sarif';
import type { Suggestion } from '../../shared/lookup/suggestion';
import { CliError } from './output';
import { describeFix } from './suggestions';

export type FailOn = 'new' | 'any' | 'none';

export interface CiOptions {
  ci?: boolean;
  sarif?: string;
  failOn?: string;
}

export function parseFailOn(value: string | undefined): FailOn | undefined {
  if (value === undefined) return undefined;
  if (value === 'new' || value === 'any' || value === 'none') return value;
  throw new CliError(`heal run: --fail-on must be new, any or none, not "${value}"`);
}

/**
 * The exit code under a --fail-on policy (without one, the command's own):
 * - `none`: 0, always (report only);
 * - `any`: 1 when the command failed or printed a recognised error;
 * - `new`: 1 when a recognised error was never seen before this run, and also when the command failed with no
 *   recognised error at all (a crash, `false`, an unknown tool): Heal cannot tell such a failure from a known one,
 *   so it counts as new and is never turned green. 0 when every error is known, or nothing failed.
 */
export function exitCodeFor(
  policy: FailOn | undefined,
  commandExit: number,
  events: ErrorEvent[],
  known: Set<string>,
): number {
  if (!policy) return commandExit;
  const errors = events.filter((e) => e.severity === 'error');
  if (policy === 'none') return 0;
  if (policy === 'any') return errors.length > 0 || commandExit !== 0 ? 1 : 0;
  if (commandExit !== 0 && errors.length === 0) return 1;
  return errors.some((e) => !known.has(e.fingerprint)) ? 1 : 0;
}

export async function writeCiOutputs(
  options: CiOptions & {
    version: string;
    command: string;
    exitCode: number;
    durationMs: number;
    events: ErrorEvent[];
    suggestions: Suggestion[];
    known: Set<string>;
    flaky?: ReadonlySet<string>;
    annotations?: NodeJS.WritableStream;
    /** The command's working directory: SARIF URIs are relative to it (default: this process's). */
    cwd?: string;
  },
): Promise<void> {
  const top = new Map<string, string>();
  for (const s of options.suggestions)
    if (s.fingerprint && !top.has(s.fingerprint)) top.set(s.fingerprint, describeFix(s));
  if (options.ci) {
    // With --json, stdout is the JSON document; the runner reads workflow commands from stderr too.
    for (const e of options.events)
      if (!e.causedBy)
        (options.annotations ?? process.stdout).write(
          annotation(e, { suggestion: top.get(e.fingerprint), flaky: options.flaky?.has(e.fingerprint) }) + '\n',
        );
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile)
      await appendFile(
        summaryFile,
        jobSummary({
          command: options.command,
          exitCode: options.exitCode,
          durationMs: options.durationMs,
          events: options.events,
          suggestions: top,
          known: options.known,
          flaky: options.flaky,
        }),
      );
  }
  if (options.sarif)
    await writeFile(
      options.sarif,
      JSON.stringify(sarifLog(options.events, options.version, top, { root: options.cwd }), null, 2) + '\n',
    );
}
