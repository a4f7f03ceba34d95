// The CLI's shared memory: opened only when a remote is configured; a remote that fails costs one line on
// stderr, never the command (the local store goes on alone).
import { loadConfig } from '../../shared/config';
import { RemoteError } from '../../shared/remote/remoteError';
import { SharedMemory } from '../../shared/remote/sharedMemory';
import type { FlushResult } from '../../shared/remote/offlineQueue';
import type { LocalStore } from '../../shared/store/localStore';
import type { Output } from './output';

/** Budget for sending queued writes at the end of a command. */
export const SYNC_BUDGET_MS = 3000;

export class CliSharedMemory {
  private opened: Promise<SharedMemory | undefined> | undefined;
  private warned = false;

  constructor(
    private readonly store: () => LocalStore,
    private readonly stderr: () => Output,
  ) {}

  /** The shared memory, or undefined when none is configured or it cannot be set up (said once). */
  get(): Promise<SharedMemory | undefined> {
    return (this.opened ??= (async () => {
      try {
        return await SharedMemory.fromConfig(this.store(), await loadConfig(), process.cwd());
      } catch (e) {
        this.warn(e);
        return undefined;
      }
    })());
  }

  /** One line for the first remote failure of this process. */
  warn(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const message = e instanceof RemoteError ? e.message : `the shared memory failed: ${(e as Error)?.message ?? e}`;
    this.stderr().warn(`heal: ${message}; using the local store only.`);
  }

  /** Sends queued writes (bounded) and tells about a failure once. */
  async sync(budgetMs = SYNC_BUDGET_MS): Promise<FlushResult | undefined> {
    const shared = await this.get();
    if (!shared) return undefined;
    const result = await shared.sync(budgetMs).catch((e: unknown) => {
      this.warn(e);
      return undefined;
    });
    if (result?.error) this.warn(result.error);
    return result;
  }

  /** Why the team's circuit breaker refuses applying now, if it does. */
  async teamBreakerRefusal(): Promise<string | undefined> {
    return (await this.get())?.teamBreakerRefusal();
  }

  /** Tells the team's breaker how an apply ended, then sends the outcome. */
  async afterApply(state: string): Promise<void> {
    const shared = await this.get();
    if (!shared) return;
    await shared.noteApply(state);
    await this.sync();
  }

  /** Before exit: counted calls persisted, a failed lookup told about. */
  async close(): Promise<void> {
    if (!this.opened) return;
    const shared = await this.opened;
    if (!shared) return;
    if (shared.remote.lastError) this.warn(shared.remote.lastError);
    await shared.close().catch(() => undefined);
  }
}
