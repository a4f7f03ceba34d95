// The local store as a pattern source (tiers 1 and 2).
import type { LocalStore } from '../store/localStore';
import type { Pattern, StoreData } from '../store/schema';
import type { PatternSource, SimilarPattern } from './patternSource';
import { jaccard, shingles, toolFamily } from './similar';

export class LocalPatternSource implements PatternSource {
  readonly name = 'local';
  private data: Promise<StoreData> | undefined;

  constructor(private readonly store: LocalStore) {}

  /** One snapshot per lookup session, re-read on demand. */
  private snapshot(): Promise<StoreData> {
    return (this.data ??= this.store.read());
  }

  refresh(): void {
    this.data = undefined;
  }

  async exact(fingerprint: string): Promise<Pattern | undefined> {
    return (await this.snapshot()).patterns[fingerprint];
  }

  async similar(message: string, tool: string, limit: number): Promise<SimilarPattern[]> {
    const family = toolFamily(tool);
    const target = shingles(message);
    const scored: SimilarPattern[] = [];
    for (const pattern of Object.values((await this.snapshot()).patterns)) {
      if (toolFamily(pattern.tool) !== family || pattern.fixes.length === 0) continue;
      scored.push({ pattern, similarity: jaccard(target, shingles(pattern.message)) });
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}
