// Whether the top suggestion of a failed run may be applied without asking: the policy applied to the store's
// facts (quarantine, hot files, flakiness, breaker). Shared by the CLI and the language server.
import * as path from 'node:path';
import { hotFiles } from '../apply/applications';
import { breakerSection, breakerView } from '../learn/circuitBreaker';
import { flakyPatterns } from '../learn/flakiness';
import { isUnverifiedImport } from '../learn/exchange';
import type { Suggestion } from '../lookup/suggestion';
import type { StoreData } from '../store/schema';
import { autoApplyDecision, type AutoApplySettings, type Decision } from './policy';

export interface AutoApplyCheck extends Decision {
  /** The fix considered: the best one that is not advice. */
  top: Suggestion;
}

/** Undefined when there is nothing to apply; otherwise the decision for the best fix. */
export function checkAutoApply(
  data: StoreData,
  suggestions: Suggestion[],
  settings: AutoApplySettings,
  context: { trusted: boolean; cwd: string; now?: number },
): AutoApplyCheck | undefined {
  const top = suggestions.find((s) => s.fix.kind !== 'advice');
  if (!top) return undefined;
  const now = context.now ?? Date.now();
  const hot = hotFiles(data, now);
  const decision = autoApplyDecision(
    {
      tier: top.tier,
      confidence: top.confidence,
      safety: top.safety,
      quarantined: top.fingerprint ? data.patterns[top.fingerprint]?.quarantined : false,
      hotFiles: (top.fix.edits ?? []).map((e) => path.resolve(context.cwd, e.file)).filter((f) => hot.has(f)),
      flaky:
        flakyPatterns(
          data,
          suggestions.flatMap((s) => (s.fingerprint ? [s.fingerprint] : [])),
        ).size > 0,
      imported: isUnverifiedImport(data, top.fix.id),
    },
    settings,
    { trusted: context.trusted, breaker: breakerView(breakerSection.get(data), now) },
  );
  return { ...decision, top };
}
