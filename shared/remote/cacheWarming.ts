// Cache warming: the project's most frequent patterns pulled into the local store, so their exact lookups are
// answered without the network. Runs in the background; a stale or missing cache only costs a remote lookup.
import { z } from 'zod';
import type { LocalStore } from '../store/localStore';
import { patternSchema, type Pattern, type StoreData } from '../store/schema';
import { defineSection } from '../store/section';
import type { RemoteStore } from './remoteStore';

export const WARM_COUNT = 100;
/** A cache younger than this is not pulled again. */
export const WARM_EVERY_MS = 60 * 60_000;

export const remoteCache = defineSection(
  'remoteCache',
  z
    .object({
      project: z.string(),
      host: z.string(),
      fetchedAt: z.string(),
      patterns: z.record(z.string(), patternSchema),
    })
    .nullable(),
  () => null,
);

/** The cached patterns for this remote and project (none when the cache is for another). */
export function cachedPatterns(data: StoreData, host: string, project: string): Record<string, Pattern> {
  const c = remoteCache.get(data);
  return c && c.host === host && c.project === project ? c.patterns : {};
}

export function needsWarming(data: StoreData, host: string, project: string, now = Date.now()): boolean {
  const c = remoteCache.get(data);
  return !c || c.host !== host || c.project !== project || now - Date.parse(c.fetchedAt) > WARM_EVERY_MS;
}

/** Pulls the top patterns and replaces the cache; returns how many were cached. */
export async function warmCache(store: LocalStore, remote: RemoteStore, count = WARM_COUNT): Promise<number> {
  const top = await remote.top(count);
  const patterns = Object.fromEntries(top.map((p) => [p.fingerprint, p]));
  await store.update((data) =>
    remoteCache.set(data, {
      project: remote.settings.project,
      host: remote.host,
      fetchedAt: new Date().toISOString(),
      patterns,
    }),
  );
  return top.length;
}
