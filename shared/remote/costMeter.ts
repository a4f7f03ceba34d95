// Every remote call counted per day in the local store; past the daily limit only essential work goes on.
import { z } from 'zod';
import type { LocalStore } from '../store/localStore';
import { defineSection } from '../store/section';
import { RemoteError } from './remoteError';

const MAX_DAYS = 120;

export const dailyCosts = defineSection(
  'dailyCosts',
  z.record(
    z.string(),
    z.object({ calls: z.number().int().min(0), kinds: z.record(z.string(), z.number().int().min(0)).default({}) }),
  ),
  () => ({}),
);

/** Essential: exact lookups and writes (the team's record). Non-essential: similar lookups, cache warming, backfill. */
export type CallKind = 'exact' | 'similar' | 'occurrence' | 'outcome' | 'causes' | 'warm' | 'breaker' | 'report';
const NON_ESSENTIAL: ReadonlySet<CallKind> = new Set(['similar', 'warm']);

export const isEssential = (kind: CallKind, background = false) => !background && !NON_ESSENTIAL.has(kind);

export class CostMeter {
  private pending = new Map<string, Map<CallKind, number>>();
  private persisted: Record<string, number> | undefined;

  constructor(
    private readonly store: LocalStore,
    readonly dailyLimit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** Calls made today, counted and not yet written included. */
  async usedToday(): Promise<number> {
    this.persisted ??= Object.fromEntries(
      Object.entries(dailyCosts.get(await this.store.read())).map(([d, c]) => [d, c.calls]),
    );
    const day = this.today();
    let pending = 0;
    for (const n of this.pending.get(day)?.values() ?? []) pending += n;
    return (this.persisted[day] ?? 0) + pending;
  }

  /** Throws a `limit` RemoteError for non-essential work once today's calls reach the limit. */
  async admit(kind: CallKind, essential: boolean): Promise<void> {
    if (essential) return;
    const used = await this.usedToday();
    if (used >= this.dailyLimit)
      throw new RemoteError(
        'limit',
        `Heal's daily limit of ${this.dailyLimit} remote calls is reached (${used} today); similar-pattern lookups, cache warming and backfill uploads wait until tomorrow`,
      );
  }

  count(kind: CallKind, n = 1): void {
    const day = this.today();
    const kinds = this.pending.get(day) ?? this.pending.set(day, new Map()).get(day)!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  }

  /** Writes the counted calls into the store (one write for many calls). */
  async persist(): Promise<void> {
    if (this.pending.size === 0) return;
    const pending = this.pending;
    this.pending = new Map();
    await this.store.update((data) => {
      const costs = dailyCosts.get(data);
      for (const [day, kinds] of pending) {
        const entry = (costs[day] ??= { calls: 0, kinds: {} });
        for (const [kind, n] of kinds) {
          entry.calls += n;
          entry.kinds[kind] = (entry.kinds[kind] ?? 0) + n;
        }
      }
      const days = Object.keys(costs).sort();
      for (const d of days.slice(0, Math.max(0, days.length - MAX_DAYS))) delete costs[d];
      dailyCosts.set(data, costs);
      this.persisted = Object.fromEntries(Object.entries(costs).map(([d, c]) => [d, c.calls]));
    });
  }
}
