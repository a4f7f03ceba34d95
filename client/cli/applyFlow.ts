// The CLI's side of applying a fix: confirmation prompt, progress, and the exit code for each outcome.
import { applyFix, ApplyRefused, type ApplyResult } from '../../shared/apply/apply';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../../shared/apply/verify';
import { loadConfig } from '../../shared/config';
import { workspaceTrusted } from '../../shared/validate/policy';
import type { CliEnv } from './main';
import { CliError, ExitCode, type Output } from './output';

export interface ApplyFlags {
  yes?: boolean;
  verify?: boolean;
  timeout?: string;
}

function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

async function verifyTimeoutMs(flag: string | undefined): Promise<number> {
  if (flag !== undefined) {
    const seconds = Number(flag);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError(`heal apply: --timeout must be a positive number of seconds, not "${flag}"`);
    return seconds * 1000;
  }
  const configured = (await loadConfig().catch(() => ({}) as Record<string, never>))['verify.timeoutSeconds'];
  return configured ? configured * 1000 : DEFAULT_VERIFY_TIMEOUT_MS;
}

/** Applies a fix and reports it; refusals become exit code 4, a reverted fix exit code 1. */
export async function runApply(env: CliEnv, out: Output, fixId: string, flags: ApplyFlags): Promise<ApplyResult> {
  let result: ApplyResult;
  try {
    result = await applyFix({
      store: env.store(),
      fixId,
      trusted: workspaceTrusted(),
      yes: flags.yes,
      verify: flags.verify,
      verifyTimeoutMs: await verifyTimeoutMs(flags.timeout),
      output: out.json ? undefined : process.stderr,
      confirm: interactive()
        ? async (proposal, verdict) => {
            const { confirm } = await import('@inquirer/prompts');
            return confirm({ message: `${proposal.fix.description} — needs review (${verdict.reasons.join('; ')}). Apply it?`, default: false });
          }
        : undefined,
      onStep: (step, app) => {
        if (step === 'backed-up') out.line(out.dim(`apply ${app.id}: backup written`));
        if (step === 'verifying') out.line(out.dim(`apply ${app.id}: changed; re-running \`${app.commandLine}\` to verify`));
      },
    });
  } catch (e) {
    if (e instanceof ApplyRefused) throw new CliError(`heal apply: ${e.message}`, ExitCode.refused);
    throw e;
  }
  const app = result.application;
  if (out.json) out.printJson({ application: app, verification: result.verification ?? null, safety: result.verdict });
  else if (app.state === 'verified') out.line(out.green(`✓ fix ${app.fixId} applied and verified: ${app.reason} (apply id ${app.id}; undo with heal revert ${app.id})`));
  else if (app.state === 'applied') out.line(out.yellow(`fix ${app.fixId} applied, not verified: ${app.reason} (undo with heal revert ${app.id})`));
  else out.warn(`heal apply: fix ${app.fixId} did not work and was reverted; your files are as they were. ${app.reason ?? ''}`);
  if (app.state === 'reverted') process.exitCode = ExitCode.findings;
  return result;
}
