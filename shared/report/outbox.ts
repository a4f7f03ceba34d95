// The reports Heal files: sent at once when possible, else kept in a durable queue in the local store (with
// their idempotency key) and sent on a later start; what was filed is remembered with its last known status, so
// a resolution is told once, from the local cache, without waiting for the network. The report last previewed is
// kept too, so a later send of the same report sends exactly the bytes the user saw.
import { z } from 'zod';
import type { LocalStore } from '../store/localStore';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';
import type { DiagnosticReport } from './report';
import { serializeReport } from './report';
import { Deadline, PermanentError, untilAborted, withRetry, type RetryOptions } from './retry';
import type { ReportSink } from './sink';

const MAX_QUEUED = 100;
const MAX_FILED = 200;

const queued = z.object({ id: z.string(), body: z.string(), enqueuedAt: z.string(), attempts: z.number().int() });
const filed = z.object({
  id: z.string(),
  at: z.string(),
  summary: z.string(),
  status: z.enum(['open', 'resolved']),
  note: z.string().optional(),
  notified: z.boolean(),
});
/** One slot: the latest preview (its bytes, at most one report's worth). */
const preview = z.object({ id: z.string(), body: z.string(), at: z.string() });
const reports = z.object({ queue: z.array(queued), filed: z.array(filed), preview: preview.optional() });
export const reportSection = defineSection('reports', reports, () => ({ queue: [], filed: [] }));

export type Filed = z.infer<typeof filed>;

function markFiled(data: StoreData, id: string, summary: string, at = new Date().toISOString()): void {
  const s = reportSection.get(data);
  s.queue = s.queue.filter((q) => q.id !== id);
  if (!s.filed.some((f) => f.id === id))
    s.filed = [...s.filed, { id, at, summary, status: 'open' as const, notified: false }].slice(-MAX_FILED);
  reportSection.set(data, s);
}

const summaryOf = (r: DiagnosticReport) => `${r.failure.tool}/${r.failure.category} ${r.failure.fingerprint}`;

const sameContent = (a: DiagnosticReport, b: DiagnosticReport) =>
  serializeReport({ ...a, id: '', timestamp: '' }) === serializeReport({ ...b, id: '', timestamp: '' });

/**
 * The report to send for `fresh`: the one last previewed when it says the same (same failure, consent level and
 * contact; only its id and time differ), byte for byte, else `fresh` itself.
 */
export function reportToSend(
  data: StoreData,
  fresh: DiagnosticReport,
): { report: DiagnosticReport; body: string; previewed: boolean } {
  const kept = reportSection.get(data).preview;
  if (kept) {
    try {
      const report = JSON.parse(kept.body) as DiagnosticReport;
      if (sameContent(report, fresh)) return { report, body: kept.body, previewed: true };
    } catch {
      // Not a report: ignore it.
    }
  }
  return { report: fresh, body: serializeReport(fresh), previewed: false };
}

/** Remembers the bytes just previewed (replacing any earlier preview). */
export function keepPreview(
  data: StoreData,
  report: DiagnosticReport,
  body: string,
  at = new Date().toISOString(),
): void {
  reportSection.set(data, { ...reportSection.get(data), preview: { id: report.id, body, at } });
}

/**
 * Files a report: queued first (so a kill mid-send loses nothing: the next start resends it under the same
 * idempotency key), then sent, retrying within the budget; when the sink stays unreachable it stays queued. `body`
 * is the exact bytes (a kept preview's), by default the report serialised.
 */
export async function fileReport(
  store: LocalStore,
  sink: ReportSink,
  report: DiagnosticReport,
  retry: RetryOptions,
  body = serializeReport(report),
): Promise<'sent' | 'queued'> {
  const change = (edit: (s: z.infer<typeof reports>) => void) =>
    store.update((data) => {
      const s = reportSection.get(data);
      edit(s);
      reportSection.set(data, s);
    });
  await change((s) => {
    s.queue = [
      ...s.queue.filter((q) => q.id !== report.id),
      { id: report.id, body, enqueuedAt: new Date().toISOString(), attempts: 0 },
    ].slice(-MAX_QUEUED);
    // Filed (or queued): the preview has served its purpose; the next report is a new one.
    if (s.preview?.id === report.id) delete s.preview;
  });
  try {
    await withRetry((signal) => sink.send(body, report.id, signal), retry);
  } catch (e) {
    if (e instanceof PermanentError) {
      await change((s) => void (s.queue = s.queue.filter((q) => q.id !== report.id)));
      throw e;
    }
    await change(
      (s) => void (s.queue = s.queue.map((q) => (q.id === report.id ? { ...q, attempts: q.attempts + 1 } : q))),
    );
    return 'queued';
  }
  await store.update((data) => markFiled(data, report.id, summaryOf(report)));
  return 'sent';
}

export interface FlushOptions {
  /** The time the whole flush may take (every send's own limit included); none: each send's own limit only. */
  budgetMs?: number;
  /** Or a deadline shared with other steps. */
  deadline?: Deadline;
}

/** Sends what is queued, oldest first, within the budget; stops at the first failure (the sink is still away). */
export async function flushQueue(
  store: LocalStore,
  sink: ReportSink,
  options: FlushOptions = {},
): Promise<{ sent: number; left: number }> {
  const deadline = options.deadline ?? (options.budgetMs !== undefined ? new Deadline(options.budgetMs) : undefined);
  const queue = reportSection.get(await store.read()).queue;
  let sent = 0;
  for (const item of queue) {
    if (deadline && !deadline.allows()) break;
    try {
      // The same idempotency key as the first attempt: a resend after a crash is not a duplicate.
      const signal = deadline?.signal();
      await (signal ? untilAborted(sink.send(item.body, item.id, signal), signal) : sink.send(item.body, item.id));
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

/** Asks the sink about open reports and caches the answers (run in the background, within the budget if given). */
export async function refreshStatuses(
  store: LocalStore,
  sink: ReportSink,
  options: FlushOptions = {},
): Promise<number> {
  const deadline = options.deadline ?? (options.budgetMs !== undefined ? new Deadline(options.budgetMs) : undefined);
  const open = reportSection.get(await store.read()).filed.filter((f) => f.status === 'open');
  const answers = new Map<string, { status: 'open' | 'resolved'; note?: string }>();
  for (const f of open) {
    if (deadline && !deadline.allows()) break;
    const signal = deadline?.signal();
    const s = await (signal ? untilAborted(sink.status(f.id, signal), signal) : sink.status(f.id)).catch(
      () => undefined,
    );
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
