// Quarantine: a pattern whose fixes keep failing is not suggested again until a person says so.
import type { Pattern, StoreData } from '../store/schema';

export const QUARANTINE_MIN_FAILURES = 3;
export const QUARANTINE_MAX_SUCCESS_RATE = 0.5;

export function shouldQuarantine(counts: Pattern['counts']): boolean {
  const trials = counts.fixed + counts.failed;
  return counts.failed >= QUARANTINE_MIN_FAILURES && counts.fixed / trials < QUARANTINE_MAX_SUCCESS_RATE;
}

export class UnknownPatternError extends Error {
  override name = 'UnknownPatternError';
}

/** The pattern with this fingerprint, or a unique prefix of it. */
export function findPattern(data: StoreData, fingerprint: string): Pattern {
  const exact = data.patterns[fingerprint];
  if (exact) return exact;
  const matches = Object.keys(data.patterns).filter((k) => k.startsWith(fingerprint));
  if (matches.length === 1) return data.patterns[matches[0]];
  throw new UnknownPatternError(
    matches.length > 1
      ? `The fingerprint prefix ${fingerprint} matches ${matches.length} patterns; give more characters.`
      : `No pattern with the fingerprint ${fingerprint} (see heal status).`,
  );
}

/** Lets a quarantined pattern be suggested again; its failure history is kept but no longer counts against it. */
export function unquarantine(data: StoreData, fingerprint: string): Pattern {
  const pattern = findPattern(data, fingerprint);
  if (!pattern.quarantined) return pattern;
  pattern.quarantined = false;
  pattern.counts.failed = 0;
  return pattern;
}

/** Hides a pattern from open issues and suggestions. */
export function ignore(data: StoreData, fingerprint: string): Pattern {
  const pattern = findPattern(data, fingerprint);
  pattern.ignored = true;
  return pattern;
}
