// The CLI's side of applying a fix: confirmation prompt, progress, and the exit code for each outcome.
import { applyFix, ApplyRefused, type ApplyResult } from '../../shared/apply/apply';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../../shared/apply/verify';
import { loadConfig, type HealConfig } from '../../shared/config';
import type { Suggestion } from '../../shared/lookup/suggestion';
import { workspaceTrusted } from '../../shared/validate/policy';
import { checkAutoApply } from '../../shared/validate/autoApplyCheck';
import { recordRefusal } from '../../shared/report/incidents';
import type { CliEnv } from './main';
import { CliError, ExitCode, type Output } from './output';

export interface ApplyFlags {
  yes?: boolean;
  /** `--allow-dangerous`: accept a fix classified dangerous (confirmation is still needed). */
  allowDangerous?: boolean;
  verify?: boolean;
  timeout?: string;
}

export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

async function verifyTimeoutMs(flag: string | undefined): Promise<number> {
  if (flag !== undefined) {
    const seconds = Number(flag);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new CliError(`heal apply: --timeout must be a positive number of seconds, not "${flag}"`);
    return seconds * 1000;
  }
  const configured = (await loadConfig().catch(() => ({}) as HealConfig))['verify.timeoutSeconds'];
  return configured ? configured * 1000 : DEFAULT_VERIFY_TIMEOUT_MS;
}

/** An unknown fix id is bad usage (exit 2); every other refusal is exit 4. */
export function refusalExitCode(e: ApplyRefused): number {
  return e.code === 'unknown-fix' ? ExitCode.usage : ExitCode.refused;
}

/** Applies a fix and reports it; refusals become exit code 4 (an unknown id 2), a reverted fix exit code 1. */
export async function runApply(env: CliEnv, out: Output, fixId: string, flags: ApplyFlags): Promise<ApplyResult> {
  let result: ApplyResult;
  const team = await env.shared.teamBreakerRefusal();
  if (team) {
    await recordRefusal(env.store(), fixId, { code: 'breaker', message: `Refused: ${team}.` });
    throw new CliError(`heal apply: Refused: ${team}.`, ExitCode.refused);
  }
  try {
    result = await applyFix({
      store: env.store(),
      fixId,
      trusted: workspaceTrusted(),
      yes: flags.yes,
      allowDangerous: flags.allowDangerous,
      verify: flags.verify,
      verifyTimeoutMs: await verifyTimeoutMs(flags.timeout),
      output: out.json ? undefined : process.stderr,
      confirm: interactive()
        ? async (proposal, verdict) => {
            const { confirm } = await import('@inquirer/prompts');
            return confirm({
              message: `${proposal.fix.description} — needs review (${verdict.reasons.join('; ')}). Apply it?`,
              default: false,
            });
          }
        : undefined,
      onStep: (step, app) => {
        if (step === 'backed-up') out.line(out.dim(`apply ${app.id}: backup written`));
        if (step === 'verifying')
          out.line(out.dim(`apply ${app.id}: changed; re-running \`${app.commandLine}\` to verify`));
      },
    });
  } catch (e) {
    if (!(e instanceof ApplyRefused)) throw e;
    // Heal's checks refusing a fix is a failure a report can be about (heal report).
    await recordRefusal(env.store(), fixId, e);
    throw new CliError(`heal apply: ${e.message}`, refusalExitCode(e));
  }
  const app = result.application;
  await env.shared.afterApply(app.state);
  if (out.json) out.printJson({ application: app, verification: result.verification ?? null, safety: result.verdict });
  else if (app.state === 'verified')
    out.line(
      out.green(
        `✓ fix ${app.fixId} applied and verified: ${app.reason} (apply id ${app.id}; undo with heal revert ${app.id})`,
      ),
    );
  else if (app.state === 'applied')
    out.line(out.yellow(`fix ${app.fixId} applied, not verified: ${app.reason} (undo with heal revert ${app.id})`));
  else
    out.warn(
      `heal apply: fix ${app.fixId} did not work and was reverted; your files are as they were. ${app.reason ?? ''}`,
    );
  if (app.state === 'reverted') process.exitCode = ExitCode.findings;
  return result;
}

export interface AutoApplyReport {
  fixId: string;
  applied: boolean;
  /** Why it was not applied, or how the apply ended. */
  reasons: string[];
  applyId?: string;
  state?: string;
}

/**
 * After a failed `heal run`: applies the top suggestion by itself only when the user's policy allows it
 * (autoApply: safe, tier 1, confident, trusted, breaker closed). Off by default.
 */
export async function autoApplyTop(
  env: CliEnv,
  out: Output,
  suggestions: Suggestion[],
): Promise<AutoApplyReport | undefined> {
  const config = await loadConfig().catch(() => ({}) as HealConfig);
  if ((config.autoApply ?? 'off') === 'off') return undefined;
  const check = checkAutoApply(
    await env.store().read(),
    suggestions,
    { autoApply: config.autoApply, minConfidence: config['autoApply.minConfidence'] },
    { trusted: workspaceTrusted(), cwd: process.cwd() },
  );
  if (!check) return undefined;
  const { top, ...decision } = check;
  const team = decision.allowed ? await env.shared.teamBreakerRefusal() : undefined;
  if (team) decision.reasons.push(team);
  if (!decision.allowed || team) {
    out.line(out.dim(`heal: fix ${top.fix.id} not applied automatically: ${decision.reasons.join('; ')}`));
    return { fixId: top.fix.id, applied: false, reasons: decision.reasons };
  }
  try {
    const r = await applyFix({
      store: env.store(),
      fixId: top.fix.id,
      trusted: true,
      auto: true,
      verifyTimeoutMs: await verifyTimeoutMs(undefined),
    });
    const app = r.application;
    await env.shared.afterApply(app.state);
    out.line(
      app.state === 'reverted'
        ? out.yellow(`heal: auto-applied fix ${top.fix.id} did not work and was reverted: ${app.reason}`)
        : out.green(
            `heal: auto-applied fix ${top.fix.id} (${app.state}): ${app.reason} — undo with heal revert ${app.id}`,
          ),
    );
    return {
      fixId: top.fix.id,
      applied: app.state !== 'reverted',
      reasons: [app.reason ?? ''],
      applyId: app.id,
      state: app.state,
    };
  } catch (e) {
    if (!(e instanceof ApplyRefused)) throw e;
    await recordRefusal(env.store(), top.fix.id, e);
    out.line(out.dim(`heal: fix ${top.fix.id} not applied automatically: ${e.message}`));
    return { fixId: top.fix.id, applied: false, reasons: [e.message] };
  }
}
