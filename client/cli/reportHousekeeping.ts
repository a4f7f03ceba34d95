// After `heal run`: tell once about reports now resolved (from the local cache, no network), then send what is
// queued and refresh the status of open reports when a report endpoint is configured (bounded: one short budget
// for all of it; what does not fit waits for the next run).
import { loadConfig } from '../../shared/config';
import {
  flushQueue,
  markAnnounced,
  refreshStatuses,
  reportSection,
  unannouncedResolutions,
} from '../../shared/report/outbox';
import { Deadline } from '../../shared/report/retry';
import { httpSink } from '../../shared/report/sink';
import type { LocalStore } from '../../shared/store/localStore';
import type { Output } from './output';
import type { CliSharedMemory } from './sharedMemory';
import { remoteReportSink } from '../../shared/remote/reportSink';

export async function announceResolutions(store: LocalStore, out: Output): Promise<number> {
  const resolved = unannouncedResolutions(await store.read());
  if (!resolved.length) return 0;
  for (const r of resolved)
    out.line(out.green(`heal: the problem you reported (${r.summary}) is resolved${r.note ? `: ${r.note}` : ''}.`));
  await store.update((data) =>
    markAnnounced(
      data,
      resolved.map((r) => r.id),
    ),
  );
  return resolved.length;
}

/** What the network part of the housekeeping after a run may take in all. */
export const HOUSEKEEPING_BUDGET_MS = 1500;

export async function reportHousekeeping(
  store: LocalStore,
  out: Output,
  shared?: CliSharedMemory,
  budgetMs = HOUSEKEEPING_BUDGET_MS,
): Promise<void> {
  await announceResolutions(store, out);
  const s = reportSection.get(await store.read());
  if (!s.queue.length && !s.filed.some((f) => f.status === 'open')) return;
  const endpoint =
    (await loadConfig().catch(() => ({}) as { 'report.endpoint'?: string }))['report.endpoint'] ??
    process.env.HEAL_REPORT_URL;
  const remote = endpoint ? undefined : (await shared?.get())?.remote;
  if (!endpoint && !remote) return;
  try {
    const sink = endpoint ? httpSink(endpoint, 1000) : remoteReportSink(remote!);
    const deadline = new Deadline(budgetMs);
    if (s.queue.length) {
      const { sent } = await flushQueue(store, sink, { deadline });
      if (sent) out.line(out.dim(`heal: ${sent} queued report(s) sent to ${sink.describe}.`));
    }
    await refreshStatuses(store, sink, { deadline });
  } catch {
    // Offline or misconfigured: the queue stays for the next run.
  }
}
