// Flakiness: whether a failure comes and goes without a cause. Each remembered failure (pattern) has an outcome
// history: every recorded run of a command it was seen with either shows it (failed) or not (passed).
//
// determinism = 1 − A × (1 − max(0, B))
//   A (alternation) = outcome flips between consecutive runs / the most flips the counts allow (2 × min(fails,
//     passes)); 1 when the outcome changes as often as it possibly could.
//   B (burstiness, Goh & Barabási) = (σ − μ) / (σ + μ) of the intervals between failures; near 1 when failures
//     come in bursts (a code change breaks it, a fix repairs it), near 0 for random, −1 for regular intervals.
// Always failing or always passing → 1. Alternating at random or regular intervals → near 0. Fail bursts after
// changes → near 1. With too few runs (fewer than 2 fails and 2 passes) the score is 1: no evidence of flakiness.
import type { Pattern, StoreData } from '../store/schema';

export interface Outcome {
  /** Epoch milliseconds. */
  at: number;
  failed: boolean;
}

export const FLAKY_BELOW = 0.5;
const MIN_EACH = 2;

export function determinism(outcomes: Outcome[]): number {
  const sorted = [...outcomes].sort((a, b) => a.at - b.at);
  const fails = sorted.filter((o) => o.failed);
  const passes = sorted.length - fails.length;
  if (fails.length < MIN_EACH || passes < MIN_EACH) return 1;
  let flips = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].failed !== sorted[i - 1].failed) flips++;
  const alternation = Math.min(1, flips / (2 * Math.min(fails.length, passes)));
  return Math.max(0, Math.min(1, 1 - alternation * (1 - Math.max(0, burstiness(fails.map((o) => o.at))))));
}

/** (σ − μ) / (σ + μ) of the gaps between consecutive times; 0 when undefined. */
export function burstiness(times: number[]): number {
  if (times.length < 3) return 0;
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  return sd + mean === 0 ? 0 : (sd - mean) / (sd + mean);
}

/** The pattern's outcome in every recorded run of the commands it was seen with. */
export function patternOutcomes(data: StoreData, pattern: Pattern): Outcome[] {
  const commands = new Set(pattern.commands);
  return data.runs
    .filter((r) => r.commandLine !== undefined && commands.has(r.commandLine))
    .map((r) => ({ at: Date.parse(r.at), failed: r.fingerprints.includes(pattern.fingerprint) }));
}

/** Determinism of the patterns (all, or those named) that are flaky: below the threshold. */
export function flakyPatterns(data: StoreData, fingerprints?: Iterable<string>): Map<string, number> {
  const flaky = new Map<string, number>();
  const patterns = fingerprints
    ? [...fingerprints].map((f) => data.patterns[f]).filter(Boolean)
    : Object.values(data.patterns);
  for (const p of patterns) {
    if (!p.commands.length) continue;
    const score = determinism(patternOutcomes(data, p));
    if (score < FLAKY_BELOW) flaky.set(p.fingerprint, score);
  }
  return flaky;
}
