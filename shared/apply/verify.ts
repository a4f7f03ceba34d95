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

/** Success when the command exits 0, or when the failure the fix was for no longer appears. */
export async function verifyByRerun(commandLine: string, cwd: string, fingerprint: string | undefined, options: { timeoutMs?: number; output?: NodeJS.WritableStream } = {}): Promise<Verification> {
  const result = await runCommand([commandLine], { cwd, timeoutMs: options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS, stdout: options.output, stderr: options.output, captureLimitBytes: 16 * 1024 });
  const stillFailing = fingerprint ? result.events.some((e) => e.fingerprint === fingerprint) : result.exitCode !== 0;
  const ok = !result.timedOut && (result.exitCode === 0 || !stillFailing);
  const reason = result.timedOut
    ? `the re-run of \`${commandLine}\` did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS) / 1000)} s`
    : result.exitCode === 0
      ? `\`${commandLine}\` now succeeds`
      : stillFailing
        ? `\`${commandLine}\` still fails with the same error (exit ${result.exitCode})`
        : `\`${commandLine}\` exits ${result.exitCode}, but the original error is gone`;
  return { ok, exitCode: result.exitCode, timedOut: result.timedOut, stillFailing, durationMs: result.durationMs, output: result.output.slice(-4000), reason };
}
