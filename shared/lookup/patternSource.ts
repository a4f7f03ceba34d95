// Where remembered patterns come from: the local store now, a team's remote store too.
import type { Pattern } from '../store/schema';

export interface SimilarPattern {
  pattern: Pattern;
  /** 0..1, higher is more similar. */
  similarity: number;
}

export interface PatternSource {
  /** `local` or `remote`; shown in a suggestion's provenance. */
  readonly name: string;
  /** Tier 1: the pattern with exactly this fine fingerprint. */
  exact(fingerprint: string): Promise<Pattern | undefined>;
  /** Tier 2: the nearest patterns of the same tool family by normalised message. */
  similar(message: string, tool: string, limit: number): Promise<SimilarPattern[]>;
}
