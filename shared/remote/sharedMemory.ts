// The shared memory as the CLI and the language server use it: the remote as a pattern source (after the
// local store), writes queued with the run that caused them and sent in the background, the cache warmed
// when stale, costs counted. Every text that leaves the machine is scrubbed first.
import * as path from 'node:path';
import type { HealConfig } from '../config';
import type { ErrorEvent } from '../detect/detector';
import type { Fix } from '../fix';
import type { LocalStore } from '../store/localStore';
import type { StoreData } from '../store/schema';
import { scrubOutgoing } from '../scrub';
import { cachedPatterns, needsWarming, warmCache } from './cacheWarming';
import { CostMeter } from './costMeter';
import { flushQueue, pendingWrites, queueOutcomes, queueRun, type FlushResult } from './offlineQueue';
import { RemoteStore } from './remoteStore';
import { remoteSettings, type RemoteSettings } from './settings';

/**
 * A fix as a teammate can use it: edits name files relative to the workspace, without the local content hash.
 * A fix whose command or new text the scrubber would change (a secret, a home path, a host) is not shared:
 * masked, it would no longer do what it did here; nor is an edit outside the workspace.
 */
export function portableFix(fix: Fix, workspaceRoot: string): Fix | undefined {
  const unchanged = (text: string) => scrubOutgoing(text) === text;
  if (fix.command !== undefined && !unchanged(fix.command)) return undefined;
  let edits: Fix['edits'];
  if (fix.edits) {
    edits = [];
    for (const e of fix.edits) {
      const rel = path.relative(workspaceRoot, path.resolve(workspaceRoot, e.file));
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || !unchanged(e.newText)) return undefined;
      edits.push({ file: rel.split(path.sep).join('/'), range: e.range, newText: e.newText });
    }
  }
  return {
    id: fix.id,
    kind: fix.kind,
    description: scrubOutgoing(fix.description),
    ...(fix.command !== undefined ? { command: fix.command } : {}),
    ...(edits ? { edits } : {}),
  };
}

export class SharedMemory {
  private warming: Promise<number> | undefined;

  private constructor(
    readonly store: LocalStore,
    readonly remote: RemoteStore,
    private readonly workspaceRoot: string,
  ) {}

  /** The shared memory for these settings (supabase-js is loaded here, not before). */
  static async open(store: LocalStore, settings: RemoteSettings, workspaceRoot: string): Promise<SharedMemory> {
    const meter = new CostMeter(store, settings.dailyLimit);
    let cache: Promise<ReturnType<typeof cachedPatterns>> | undefined;
    const remote = await RemoteStore.connect(
      settings,
      meter,
      () => (cache ??= store.read().then((d) => cachedPatterns(d, new URL(settings.url).host, settings.project))),
    );
    return new SharedMemory(store, remote, workspaceRoot);
  }

  /** Undefined when no remote is configured; a half-configured one throws a RemoteError of kind `config`. */
  static async fromConfig(
    store: LocalStore,
    config: HealConfig,
    workspaceRoot: string,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<SharedMemory | undefined> {
    const settings = remoteSettings(config, env);
    return settings ? SharedMemory.open(store, settings, workspaceRoot) : undefined;
  }

  readonly scrub = (text: string): string => scrubOutgoing(text);

  /** Call inside the store update that records the run, so the run and its upload are written together. */
  queueRun(data: StoreData, events: ErrorEvent[], at: string, background = false): void {
    if (events.length) queueRun(data, events, at, this.scrub, background);
  }

  /** Queues outcomes learned since the last sync, then sends what is queued within the budget. */
  async sync(budgetMs = 5000): Promise<FlushResult> {
    // The outcome always counts; a fix that cannot travel as it is travels as its description.
    await this.store.update((data) =>
      queueOutcomes(
        data,
        (fix) =>
          portableFix(fix, this.workspaceRoot) ?? {
            id: fix.id,
            kind: 'advice',
            description: scrubOutgoing(fix.description),
          },
      ),
    );
    try {
      return await flushQueue(this.store, this.remote, budgetMs);
    } finally {
      await this.remote.meter.persist();
    }
  }

  /** Starts warming the cache when it is stale (never awaited on a start-up path). */
  warmInBackground(): Promise<number> {
    return (this.warming ??= (async () => {
      if (!needsWarming(await this.store.read(), this.remote.host, this.remote.settings.project)) return 0;
      return warmCache(this.store, this.remote);
    })().finally(() => this.remote.meter.persist()));
  }

  /** Why the team's circuit breaker refuses applying now; an unreachable remote refuses nothing (see lastError). */
  async teamBreakerRefusal(): Promise<string | undefined> {
    const breaker = await this.remote.breaker().catch(() => undefined);
    if (breaker?.state !== 'open') return undefined;
    const minutes = breaker.reopensAt ? Math.max(1, Math.ceil((breaker.reopensAt - Date.now()) / 60_000)) : 30;
    return `the team's circuit breaker for project ${this.remote.settings.project} is open after repeated reverts; applying resumes in ${minutes} min`;
  }

  /** Tells the team's breaker how an apply ended: a revert may trip it, a success closes a half-open one. */
  async noteApply(state: string): Promise<void> {
    try {
      if (state === 'reverted') await this.remote.tripBreaker();
      else if (state === 'verified' && (await this.remote.breaker()).state === 'halfOpen')
        await this.remote.resetBreaker();
    } catch {
      // Recorded in remote.lastError; the local breaker has already counted it.
    }
  }

  async pending(): Promise<number> {
    return pendingWrites(await this.store.read());
  }

  /** Writes the counted calls; call before the process ends. */
  close(): Promise<void> {
    return this.remote.meter.persist();
  }
}
