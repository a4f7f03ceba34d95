// Learning from an application's outcome: counts, confidence, the fix remembered for exact lookups, quarantine.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fixSchema, type Fix } from '../fix';
import type { Pattern, StoreData } from '../store/schema';
import { defineSection } from '../store/section';
import { wilsonLowerBound } from './confidence';
import { shouldQuarantine } from './quarantine';

export type Outcome = 'verified' | 'reverted' | 'failed';

export const MAX_FIXES_PER_PATTERN = 5;
const MAX_LOGGED_OUTCOMES = 500;

/** Every outcome learned, newest last (bounded): what a shared memory is told, once each (`shared`). */
export const outcomeLog = defineSection(
  'outcomeLog',
  z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      fingerprint: z.string(),
      fix: fixSchema,
      outcome: z.enum(['verified', 'reverted', 'failed']),
      shared: z.boolean(),
    }),
  ),
  () => [],
);

/** Updates the pattern the fix was for; returns it, or undefined when the fingerprint is not in the store. */
export function recordOutcome(
  data: StoreData,
  fingerprint: string | undefined,
  fix: Fix,
  outcome: Outcome,
  at: string,
): Pattern | undefined {
  const pattern = fingerprint ? data.patterns[fingerprint] : undefined;
  if (!pattern) return undefined;
  if (outcome === 'verified') {
    pattern.counts.fixed++;
    pattern.resolvedAt = at;
    // A verified fix becomes tier-1 knowledge for this exact failure.
    const known = pattern.fixes.findIndex((f) => f.id === fix.id);
    if (known >= 0) pattern.fixes.splice(known, 1);
    pattern.fixes.unshift(fix);
    if (pattern.fixes.length > MAX_FIXES_PER_PATTERN) pattern.fixes.length = MAX_FIXES_PER_PATTERN;
  } else {
    pattern.counts.failed++;
  }
  pattern.lastOutcome = outcome;
  outcomeLog.set(
    data,
    [
      ...outcomeLog.get(data),
      { id: randomUUID(), at, fingerprint: pattern.fingerprint, fix, outcome, shared: false },
    ].slice(-MAX_LOGGED_OUTCOMES),
  );
  pattern.confidence = wilsonLowerBound(pattern.counts.fixed, pattern.counts.fixed + pattern.counts.failed);
  if (shouldQuarantine(pattern.counts)) pattern.quarantined = true;
  return pattern;
}
