// Policy: when Heal may apply a fix by itself. Off by default; `safe` allows only safe, tier-1, confident fixes,
// in a trusted workspace, with the circuit breaker closed.
import type { Safety } from './safety';
import type { BreakerView } from '../learn/circuitBreaker';
import { HOT_FILE_CHANGES } from '../apply/applications';

export type AutoApplyMode = 'off' | 'safe';
export const DEFAULT_AUTO_APPLY_MIN_CONFIDENCE = 0.8;

export interface AutoApplySettings {
  autoApply?: AutoApplyMode;
  minConfidence?: number;
}

export interface Candidate {
  tier: 'exact' | 'similar' | 'rule';
  confidence: number;
  safety: Safety;
  quarantined?: boolean;
  /** Files the fix touches that changed often lately ("hot"). */
  hotFiles?: string[];
  /** The failure is flaky (see learn/flakiness): retried or quarantined, never fixed automatically. */
  flaky?: boolean;
  /** The fix came from `heal import` and was not verified here yet: imported stats are not trusted. */
  imported?: boolean;
}

export interface Decision {
  allowed: boolean;
  reasons: string[];
}

export function autoApplyDecision(
  candidate: Candidate,
  settings: AutoApplySettings,
  context: { trusted: boolean; breaker: BreakerView },
): Decision {
  const reasons: string[] = [];
  const min = settings.minConfidence ?? DEFAULT_AUTO_APPLY_MIN_CONFIDENCE;
  if ((settings.autoApply ?? 'off') === 'off') reasons.push('auto-apply is off (set autoApply to safe to allow it)');
  if (!context.trusted) reasons.push('the workspace is not trusted');
  if (context.breaker.state !== 'closed')
    reasons.push(`the circuit breaker is ${context.breaker.state === 'open' ? 'open' : 'half-open'}`);
  if (candidate.safety !== 'safe') reasons.push(`the fix is classified ${candidate.safety}`);
  if (candidate.tier !== 'exact')
    reasons.push('only fixes remembered for this exact failure (tier 1) are applied automatically');
  if (candidate.confidence <= min) reasons.push(`confidence ${candidate.confidence.toFixed(2)} is not above ${min}`);
  if (candidate.quarantined) reasons.push('the pattern is quarantined');
  if (candidate.imported)
    reasons.push(
      'the fix was imported (heal import) and has not been verified in this workspace yet; apply it once with heal apply',
    );
  if (candidate.flaky) reasons.push('the failure is flaky: retry or quarantine it rather than change code');
  if (candidate.hotFiles?.length)
    reasons.push(`${candidate.hotFiles.join(', ')} changed ${HOT_FILE_CHANGES} or more times in the last hour`);
  return { allowed: reasons.length === 0, reasons };
}

/** Whether the workspace is trusted: the editor says so; the CLI is trusted unless HEAL_UNTRUSTED=1. */
export function workspaceTrusted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.HEAL_UNTRUSTED !== '1';
}
