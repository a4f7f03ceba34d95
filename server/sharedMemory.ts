// The language server's shared memory: reopened when its settings change; writes are sent in the background
// after each run and every few minutes; failures degrade to the local store silently (Doctor shows them).
import { loadConfig, type HealConfig } from '../shared/config';
import { SharedMemory } from '../shared/remote/sharedMemory';
import type { LocalStore } from '../shared/store/localStore';
import type { HealSettings } from './protocol';

const SYNC_EVERY_MS = 5 * 60_000;

export class ServerSharedMemory {
  private current: Promise<SharedMemory | undefined> = Promise.resolve(undefined);
  private key = '';
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<unknown> | undefined;
  private again = false;
  /** Why the shared memory could not be opened, for Doctor. */
  problem: string | undefined;

  /** (Re)opens for these settings; the editor's settings win over `heal config`, the environment over both. */
  configure(store: LocalStore, settings: HealSettings, workspaceRoot: string): void {
    const key = JSON.stringify([
      store.dir,
      settings.remoteUrl,
      settings.remoteKey,
      settings.remoteProject,
      settings.remoteToken,
      workspaceRoot,
    ]);
    if (key === this.key) return;
    this.key = key;
    this.current = (async () => {
      const config: HealConfig = await loadConfig().catch(() => ({}));
      if (settings.remoteUrl)
        Object.assign(config, {
          'remote.url': settings.remoteUrl,
          'remote.anonKey': settings.remoteKey,
          'remote.project': settings.remoteProject || config['remote.project'],
          'remote.accessToken': settings.remoteToken || config['remote.accessToken'],
        });
      try {
        this.problem = undefined;
        return await SharedMemory.fromConfig(store, config, workspaceRoot);
      } catch (e) {
        this.problem = (e as Error).message;
        return undefined;
      }
    })();
    void this.current.then((shared) => {
      if (!shared) return;
      // At start: what waited offline goes out, the cache warms; neither delays anything.
      this.sync();
      void shared.warmInBackground().catch(() => undefined);
    });
    clearInterval(this.timer);
    this.timer = setInterval(() => this.sync(), SYNC_EVERY_MS);
    this.timer.unref();
  }

  get(): Promise<SharedMemory | undefined> {
    return this.current;
  }

  /** Sends queued writes in the background, one flush at a time (a request during a flush runs after it). */
  sync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.current
      .then((shared) => shared?.sync())
      .catch(() => undefined)
      .finally(() => {
        this.syncing = undefined;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
