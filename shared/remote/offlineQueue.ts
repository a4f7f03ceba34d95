// Writes for the shared memory wait in a durable queue in the local store, each with its idempotency key, and
// are sent in order when the remote answers: nothing is lost while it is away, and a replay (after a crash or a
// lost answer) is counted once by the server.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ErrorEvent } from '../detect/detector';
import { fixSchema } from '../fix';
import { normalizeMessage } from '../fingerprint';
import { outcomeLog } from '../learn/outcome';
import type { LocalStore } from '../store/localStore';
import type { StoreData } from '../store/schema';
import { defineSection } from '../store/section';
import { RemoteError } from './remoteError';
import type { RemoteStore } from './remoteStore';

/** Beyond this many waiting writes the oldest background ones make room (foreground writes are kept). */
export const MAX_QUEUED = 10_000;
const CONCURRENCY = 6;

const base = { key: z.string(), at: z.string(), attempts: z.number().int().min(0) };
const occurrenceItem = z.object({
  ...base,
  op: z.literal('occurrence'),
  /** Backfill and other work that waits for the daily limit. */
  background: z.boolean(),
  fingerprint: z.string(),
  coarseFingerprint: z.string(),
  tool: z.string(),
  category: z.string(),
  message: z.string(),
  example: z.string().optional(),
  count: z.number().int().min(1),
  seenAt: z.string(),
});
const outcomeItem = z.object({
  ...base,
  op: z.literal('outcome'),
  fingerprint: z.string(),
  fix: fixSchema,
  outcome: z.enum(['verified', 'reverted', 'failed']),
});
const causesItem = z.object({
  ...base,
  op: z.literal('causes'),
  edges: z.array(z.object({ cause: z.string(), effect: z.string(), count: z.number().int().min(1) })),
});
const queueItem = z.discriminatedUnion('op', [occurrenceItem, outcomeItem, causesItem]);
export type QueueItem = z.infer<typeof queueItem>;

export const remoteQueue = defineSection(
  'remoteQueue',
  z.object({ items: z.array(queueItem), dropped: z.number().int().min(0) }),
  () => ({ items: [] as QueueItem[], dropped: 0 }),
);

export type Scrubber = (text: string) => string;

function push(data: StoreData, items: QueueItem[]): void {
  const q = remoteQueue.get(data);
  for (const item of items) {
    // Not yet sent: more occurrences of the same error join it. Once an attempt was made the server may
    // already hold it under its key, so later counts get a key of their own.
    const same =
      item.op === 'occurrence'
        ? q.items.find(
            (x) =>
              x.op === 'occurrence' &&
              x.attempts === 0 &&
              x.fingerprint === item.fingerprint &&
              x.background === item.background,
          )
        : undefined;
    if (same && same.op === 'occurrence' && item.op === 'occurrence') {
      same.count += item.count;
      if (item.seenAt > same.seenAt) same.seenAt = item.seenAt;
    } else q.items.push(item);
  }
  while (q.items.length > MAX_QUEUED) {
    const i = q.items.findIndex((x) => x.op === 'occurrence' && x.background);
    q.items.splice(i >= 0 ? i : 0, 1);
    q.dropped++;
  }
  remoteQueue.set(data, q);
}

/** Queues a run's errors (scrubbed) and its cause → effect edges; call inside the store update that records the run. */
export function queueRun(data: StoreData, events: ErrorEvent[], at: string, scrub: Scrubber, background = false): void {
  const items: QueueItem[] = [];
  const counts = new Map<string, { event: ErrorEvent; count: number }>();
  for (const e of events) {
    const c = counts.get(e.fingerprint);
    if (c) c.count++;
    else counts.set(e.fingerprint, { event: e, count: 1 });
  }
  for (const { event: e, count } of counts.values()) {
    items.push({
      op: 'occurrence',
      key: randomUUID(),
      at,
      attempts: 0,
      background,
      fingerprint: e.fingerprint,
      coarseFingerprint: e.coarseFingerprint,
      tool: e.tool,
      category: e.category,
      message: scrub(normalizeMessage(e.message)),
      example: scrub(e.message).slice(0, 4000),
      count,
      seenAt: at,
    });
  }
  const edges = events.filter((e) => e.causedBy).map((e) => ({ cause: e.causedBy!, effect: e.fingerprint, count: 1 }));
  if (edges.length) items.push({ op: 'causes', key: randomUUID(), at, attempts: 0, edges });
  push(data, items);
}

/** Moves outcomes learned locally (and not yet shared) into the queue, with portable, scrubbed fixes. */
export function queueOutcomes(
  data: StoreData,
  portable: (fix: z.infer<typeof fixSchema>) => z.infer<typeof fixSchema> | undefined,
): number {
  const log = outcomeLog.get(data);
  const items: QueueItem[] = [];
  for (const entry of log) {
    if (entry.shared) continue;
    entry.shared = true;
    const fix = portable(entry.fix);
    if (fix)
      items.push({
        op: 'outcome',
        key: entry.id,
        at: entry.at,
        attempts: 0,
        fingerprint: entry.fingerprint,
        fix,
        outcome: entry.outcome,
      });
  }
  outcomeLog.set(data, log);
  push(data, items);
  return items.length;
}

export interface FlushResult {
  sent: number;
  /** Refused by the server for good (a bad value): dropped, not retried. */
  rejected: number;
  left: number;
  /** Why the flush stopped early, when it did. */
  error?: RemoteError;
}

async function send(remote: RemoteStore, item: QueueItem): Promise<void> {
  if (item.op === 'occurrence') {
    await remote.recordOccurrence(
      {
        key: item.key,
        fingerprint: item.fingerprint,
        coarseFingerprint: item.coarseFingerprint,
        tool: item.tool,
        category: item.category,
        message: item.message,
        example: item.example,
        count: item.count,
        seenAt: item.seenAt,
      },
      { background: item.background },
    );
  } else if (item.op === 'outcome') {
    await remote.recordOutcome({ key: item.key, fingerprint: item.fingerprint, fix: item.fix, outcome: item.outcome });
  } else {
    await remote.recordCauses(item.key, item.edges);
  }
}

/**
 * Sends the queue in order (consecutive occurrences a few at a time), within `budgetMs`. Items are marked as
 * attempted before sending and removed after, so a kill at any point leaves each one either queued (and
 * replayed under its key) or acknowledged.
 */
export async function flushQueue(store: LocalStore, remote: RemoteStore, budgetMs = 5000): Promise<FlushResult> {
  const started = Date.now();
  const items = remoteQueue.get(await store.read()).items;
  if (!items.length) return { sent: 0, rejected: 0, left: 0 };
  const keys = new Set(items.map((i) => i.key));
  await store.update((data) => {
    const q = remoteQueue.get(data);
    for (const i of q.items) if (keys.has(i.key)) i.attempts++;
    remoteQueue.set(data, q);
  });
  const done = new Set<string>();
  let rejected = 0;
  let error: RemoteError | undefined;
  for (let i = 0; i < items.length && !error;) {
    if (Date.now() - started > budgetMs) break;
    const batch = [items[i]];
    // Outcomes and edges refer to patterns: they go one by one, after the occurrences queued before them.
    while (items[i].op === 'occurrence' && batch.length < CONCURRENCY && items[i + batch.length]?.op === 'occurrence')
      batch.push(items[i + batch.length]);
    i += batch.length;
    const results = await Promise.allSettled(batch.map((item) => send(remote, item)));
    results.forEach((r, j) => {
      if (r.status === 'fulfilled') done.add(batch[j].key);
      else if (r.reason instanceof RemoteError && r.reason.kind === 'limit')
        return; // background work waits for tomorrow; the rest goes on
      else if (r.reason instanceof RemoteError && !r.reason.transient) {
        done.add(batch[j].key);
        rejected++;
      } else
        error ??=
          r.reason instanceof RemoteError
            ? r.reason
            : new RemoteError('server', `Sending to the shared memory failed: ${(r.reason as Error)?.message}`);
    });
  }
  const left = await store.update((data) => {
    const q = remoteQueue.get(data);
    q.items = q.items.filter((x) => !done.has(x.key));
    remoteQueue.set(data, q);
    return q.items.length;
  });
  return { sent: done.size - rejected, rejected, left, ...(error ? { error } : {}) };
}

export function pendingWrites(data: StoreData): number {
  return remoteQueue.get(data).items.length;
}
