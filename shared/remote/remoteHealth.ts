// The shared memory's health for `heal status` and Doctor: reachable, how fast, the team's breaker, what waits.
import { remoteCache } from './cacheWarming';
import { dailyCosts } from './costMeter';
import { pendingWrites } from './offlineQueue';
import { RemoteError } from './remoteError';
import type { RemoteBreaker } from './remoteStore';
import type { SharedMemory } from './sharedMemory';

export interface RemoteHealth {
  host: string;
  project: string;
  reachable: boolean;
  latencyMs?: number;
  breaker?: RemoteBreaker;
  error?: string;
  /** Writes waiting in the offline queue. */
  pending: number;
  cachedPatterns: number;
  cachedAt?: string;
  callsToday: number;
  dailyLimit: number;
}

/** Pings within `timeoutMs`; a slow or absent remote is reported, not waited for. */
export async function remoteHealth(shared: SharedMemory, timeoutMs = 2000): Promise<RemoteHealth> {
  const { remote } = shared;
  const data = await shared.store.read();
  const cache = remoteCache.get(data);
  const base = {
    host: remote.host,
    project: remote.settings.project,
    pending: pendingWrites(data),
    cachedPatterns: cache?.project === remote.settings.project ? Object.keys(cache.patterns).length : 0,
    cachedAt: cache?.fetchedAt,
    callsToday: dailyCosts.get(data)[new Date().toISOString().slice(0, 10)]?.calls ?? 0,
    dailyLimit: remote.settings.dailyLimit,
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RemoteError('timeout', `The shared memory at ${remote.host} did not answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const { ms, breaker } = await Promise.race([remote.ping(), timeout]);
    return { ...base, reachable: true, latencyMs: Math.round(ms), breaker };
  } catch (e) {
    return { ...base, reachable: false, error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
