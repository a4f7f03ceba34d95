// Tier 2: similarity of normalised messages (Jaccard over word shingles), never across tool families.
import { coarseMessage } from '../fingerprint';

/** Word 1- and 2-shingles of a coarse-normalised message. */
export function shingles(message: string): Set<string> {
  const words = coarseMessage(message).toLowerCase().split(/[^a-z0-9<>*_-]+/).filter(Boolean);
  const out = new Set<string>(words);
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Below this, two messages are different errors. Chosen on the fixtures: variants of one error (other
 * names, paths, numbers) score ≥ 0.6, different errors of the same tool ≤ 0.4 (see similar.test.ts).
 */
export const SIMILARITY_THRESHOLD = 0.6;

/** The tool family, so `jest` and `vitest` memories may help each other but `tsc` and `python` never do. */
export function toolFamily(tool: string): string {
  if (['jest', 'vitest', 'mocha'].includes(tool)) return 'js-test';
  if (['npm', 'pnpm', 'yarn'].includes(tool)) return 'js-package';
  if (['python', 'pytest', 'pip'].includes(tool)) return 'python';
  if (['rust', 'cargo'].includes(tool)) return 'rust';
  if (['cc', 'ld'].includes(tool)) return 'c';
  if (['java', 'maven', 'gradle'].includes(tool)) return 'java';
  return tool;
}
