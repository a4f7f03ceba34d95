// The reports Heal files: sent at once when possible, else kept in a durable queue in the local store (with
// their idempotency key) and sent on a later start; what was filed is remembered with its last known status, so
// a resolution is told once, from the local cache, without waiting for the network.
import { z } from 'zod';
import type { LocalStore } from '../store/localStore';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';
import type { DiagnosticReport } from './report';
import { serializeReport } from './report';
import { PermanentError, withRetry, type RetryOptions } from './retry';
import type { ReportSink } from './sink';

const MAX_QUEUED = 100;
const MAX_FILED = 200;

const queued = z.object({ id: z.string(), body: z.string(), enqueuedAt: z.string(), attempts: z.number().int() });
const filed = z.object({ id: z.string(), at: z.string(), summary: z.string(), status: z.enum(['open', 'resolved']), note: z.string().optional(), notified: z.boolean() });
export const reportSection = defineSection('reports', z.object({ queue: z.array(queued), filed: z.array(filed) }), () => ({ queue: [], filed: [] }));

export type Filed = z.infer<typeof filed>;

function markFiled(data: StoreData, id: string, summary: string, at = new Date().toISOString()): void {
  const s = reportSection.get(data);
  s.queue = s.queue.filter((q) => q.id !== id);
  if (!s.filed.some((f) => f.id === id)) s.filed = [...s.filed, { id, at, summary, status: 'open' as const, notified: false }].slice(-MAX_FILED);
  reportSection.set(data, s);
}

const summaryOf = (r: DiagnosticReport) => `${r.failure.tool}/${r.failure.category} ${r.failure.fingerprint}`;

/** Sends a report (retrying within the budget); when the sink stays unreachable, queues it. */
export async function fileReport(store: LocalStore, sink: ReportSink, report: DiagnosticReport, retry: RetryOptions): Promise<'sent' | 'queued'> {
  const body = serializeReport(report);
  try {
    await withRetry(() => sink.send(body, report.id), retry);
  } catch (e) {
    if (e instanceof PermanentError) throw e;
    await store.update((data) => {
      const s = reportSection.get(data);
      s.queue = [...s.queue.filter((q) => q.id !== report.id), { id: report.id, body, enqueuedAt: new Date().toISOString(), attempts: 1 }].slice(-MAX_QUEUED);
      reportSection.set(data, s);
    });
    return 'queued';
  }
  await store.update((data) => markFiled(data, report.id, summaryOf(report)));
  return 'sent';
}

/** Sends what is queued, oldest first; stops at the first failure (the sink is still away). */
export async function flushQueue(store: LocalStore, sink: ReportSink): Promise<{ sent: number; left: number }> {
  const queue = reportSection.get(await store.read()).queue;
  let sent = 0;
  for (const item of queue) {
    try {
      // The same idempotency key as the first attempt: a resend after a crash is not a duplicate.
      await sink.send(item.body, item.id);
    } catch (e) {
      if (e instanceof PermanentError) {
        await store.update((data) => {
          const s = reportSection.get(data);
          s.queue = s.queue.filter((q) => q.id !== item.id);
          reportSection.set(data, s);
        });
        continue;
      }
      await store.update((data) => {
        const s = reportSection.get(data);
        s.queue = s.queue.map((q) => (q.id === item.id ? { ...q, attempts: q.attempts + 1 } : q));
        reportSection.set(data, s);
      });
      break;
    }
    const report = JSON.parse(item.body) as DiagnosticReport;
    await store.update((data) => markFiled(data, item.id, summaryOf(report)));
    sent++;
  }
  return { sent, left: reportSection.get(await store.read()).queue.length };
}

/** Filed reports now known to be resolved that the user has not been told about (local data only). */
export function unannouncedResolutions(data: StoreData): Filed[] {
  return reportSection.get(data).filed.filter((f) => f.status === 'resolved' && !f.notified);
}

export function markAnnounced(data: StoreData, ids: string[]): void {
  const s = reportSection.get(data);
  s.filed = s.filed.map((f) => (ids.includes(f.id) ? { ...f, notified: true } : f));
  reportSection.set(data, s);
}

/** Asks the sink about open reports and caches the answers (run in the background). */
export async function refreshStatuses(store: LocalStore, sink: ReportSink): Promise<number> {
  const open = reportSection.get(await store.read()).filed.filter((f) => f.status === 'open');
  const answers = new Map<string, { status: 'open' | 'resolved'; note?: string }>();
  for (const f of open) {
    const s = await sink.status(f.id).catch(() => undefined);
    if (s) answers.set(f.id, s);
  }
  if (answers.size) {
    await store.update((data) => {
      const s = reportSection.get(data);
      s.filed = s.filed.map((f) => (answers.has(f.id) ? { ...f, ...answers.get(f.id) } : f));
      reportSection.set(data, s);
    });
  }
  return [...answers.values()].filter((a) => a.status === 'resolved').length;
}
