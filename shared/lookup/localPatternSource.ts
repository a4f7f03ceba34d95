// The local store as a pattern source (tiers 1 and 2).
import type { LocalStore } from '../store/localStore';
import type { Pattern, StoreData } from '../store/schema';
import type { PatternSource, SimilarPattern } from './patternSource';
import { jaccard, shingles, toolFamily } from './similar';

export class LocalPatternSource implements PatternSource {
  readonly name = 'local';
  private data: Promise<StoreData> | undefined;
  /** Shingles of each remembered message with fixes, per family: computed once per snapshot, not per query. */
  private index: Map<string, Array<{ pattern: Pattern; shingles: Set<string> }>> | undefined;

  constructor(private readonly store: LocalStore) {}

  /** One snapshot per lookup session, re-read on demand. */
  private snapshot(): Promise<StoreData> {
    return (this.data ??= this.store.read());
  }

  refresh(): void {
    this.data = undefined;
    this.index = undefined;
  }

  async exact(fingerprint: string): Promise<Pattern | undefined> {
    return (await this.snapshot()).patterns[fingerprint];
  }

  async similar(message: string, tool: string, limit: number): Promise<SimilarPattern[]> {
    const data = await this.snapshot();
    if (!this.index) {
      this.index = new Map();
      for (const pattern of Object.values(data.patterns)) {
        if (pattern.fixes.length === 0) continue;
        const family = toolFamily(pattern.tool);
        const list = this.index.get(family) ?? this.index.set(family, []).get(family)!;
        list.push({ pattern, shingles: shingles(pattern.message) });
      }
    }
    const target = shingles(message);
    const scored: SimilarPattern[] = [];
    for (const entry of this.index.get(toolFamily(tool)) ?? [])
      scored.push({ pattern: entry.pattern, similarity: jaccard(target, entry.shingles) });
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}
