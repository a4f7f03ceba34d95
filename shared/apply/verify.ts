// Verification: re-run the command that failed, where it failed, for a bounded time.
import { runCommand } from '../runCommand';

export const DEFAULT_VERIFY_TIMEOUT_MS = 120_000;

export interface Verification {
  ok: boolean;
  exitCode: number;
  timedOut: boolean;
  /** The fixed failure still appears in the output. */
  stillFailing: boolean;
  durationMs: number;
  output: string;
  reason: string;
}

/** Exit codes that mean the command did not really run: it could not be executed (126) or found (127). */
const NOT_RUN = new Set([126, 127]);
/** Shells report a child killed by signal N as 128+N. */
const killedBySignal = (exitCode: number, signal?: string) =>
  signal !== undefined || (exitCode > 128 && exitCode <= 128 + 64);

/**
 * Success when the command exits 0, or when the failure the fix was for no longer appears. A run that timed out,
 * was killed, or did not run at all (126/127: the error is "gone" only because nothing ran) is a failure.
 */
export async function verifyByRerun(
  commandLine: string,
  cwd: string,
  fingerprint: string | undefined,
  options: { timeoutMs?: number; output?: NodeJS.WritableStream } = {},
): Promise<Verification> {
  const result = await runCommand([commandLine], {
    cwd,
    timeoutMs: options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    stdout: options.output,
    stderr: options.output,
    captureLimitBytes: 16 * 1024,
  });
  const stillFailing = fingerprint ? result.events.some((e) => e.fingerprint === fingerprint) : result.exitCode !== 0;
  const notRun = NOT_RUN.has(result.exitCode);
  const killed = !result.timedOut && killedBySignal(result.exitCode, result.signal);
  const ok = !result.timedOut && !notRun && !killed && (result.exitCode === 0 || !stillFailing);
  const reason = result.timedOut
    ? `the re-run of \`${commandLine}\` did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS) / 1000)} s`
    : notRun
      ? `the re-run of \`${commandLine}\` could not ${result.exitCode === 127 ? 'find the command' : 'execute the command'} (exit ${result.exitCode}), so nothing was verified`
      : killed
        ? `the re-run of \`${commandLine}\` was killed${result.signal ? ` by ${result.signal}` : ''} (exit ${result.exitCode})`
        : result.exitCode === 0
          ? `\`${commandLine}\` now succeeds`
          : stillFailing
            ? `\`${commandLine}\` still fails with the same error (exit ${result.exitCode})`
            : `\`${commandLine}\` exits ${result.exitCode}, but the original error is gone`;
  return {
    ok,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    stillFailing,
    durationMs: result.durationMs,
    output: result.output.slice(-4000),
    reason,
  };
}
