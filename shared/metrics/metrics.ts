// Metrics computed from the store: is Heal helping? Definitions (also in the README):
// * detection rate — failed commands with at least one recognised error / failed commands;
// * auto-fix rate — failed commands Heal fixed by itself (auto-applied and verified) / failed commands with a
//   recognised error;
// * fix success rate — applied fixes that verified / applied fixes that finished (verified, reverted, or applied
//   without a command to re-run);
// * time to resolution — for each failure episode (from the first failing run of a pattern until a run of the same
//   command passes without it, or a fix for it verifies), end − start; the mean is over resolved episodes;
// * time lost — the same episode durations, open ones counted until now, each capped at a working day so one
//   abandoned failure does not dominate;
// * pattern growth — patterns by the day they were first seen, and the running total;
// * daily costs — remote calls per day, from the store's cost counter when a remote is configured.
import { applications } from '../apply/applications';
import { flakyPatterns } from '../learn/flakiness';
import type { StoreData } from '../store/schema';

export const EPISODE_CAP_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface PatternMetrics {
  fingerprint: string;
  tool: string;
  message: string;
  occurrences: number;
  episodes: number;
  resolved: number;
  meanTimeToResolutionMs: number | null;
  timeLostMs: number;
  /** Determinism below the flaky threshold, when the pattern is flaky. */
  flaky: number | null;
}

export interface DayMetrics {
  date: string;
  failedRuns: number;
  recognisedRuns: number;
  newPatterns: number;
  patternsTotal: number;
  fixesApplied: number;
  fixesVerified: number;
  remoteCalls: number;
}

export interface Metrics {
  from: string;
  to: string;
  days: number;
  failedRuns: number;
  recognisedRuns: number;
  detectionRate: number | null;
  autoFixed: number;
  autoFixRate: number | null;
  fixesFinished: number;
  fixesVerified: number;
  fixSuccessRate: number | null;
  meanTimeToResolutionMs: number | null;
  patterns: number;
  daily: DayMetrics[];
  topByOccurrences: PatternMetrics[];
  topByTimeLost: PatternMetrics[];
}

interface Episode {
  start: number;
  end?: number;
  commands: Set<string>;
}

/** Failure episodes per fingerprint, from the run log and verified fixes, in time order. */
export function episodes(data: StoreData): Map<string, Episode[]> {
  const out = new Map<string, Episode[]>();
  const open = new Map<string, Episode>();
  const verified = Object.values(applications.get(data)).filter(
    (a) => a.state === 'verified' && a.fingerprint && a.endedAt,
  );
  const steps = [
    ...data.runs.map((r) => ({ at: Date.parse(r.at), run: r })),
    ...verified.map((a) => ({ at: Date.parse(a.endedAt!), fixed: a.fingerprint! })),
  ].sort((a, b) => a.at - b.at);
  for (const step of steps) {
    if ('fixed' in step) {
      const e = open.get(step.fixed);
      if (e) {
        e.end = step.at;
        open.delete(step.fixed);
      }
      continue;
    }
    const { run } = step;
    const seen = new Set(run.fingerprints);
    for (const fp of seen) {
      let e = open.get(fp);
      if (!e) {
        e = { start: step.at, commands: new Set() };
        open.set(fp, e);
        out.set(fp, [...(out.get(fp) ?? []), e]);
      }
      if (run.commandLine) e.commands.add(run.commandLine);
    }
    if (run.exitCode === 0 && run.commandLine) {
      for (const [fp, e] of open) {
        if (!seen.has(fp) && e.commands.has(run.commandLine)) {
          e.end = step.at;
          open.delete(fp);
        }
      }
    }
  }
  return out;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function computeMetrics(data: StoreData, options: { days?: number; now?: number; top?: number } = {}): Metrics {
  const now = options.now ?? Date.now();
  const days = options.days ?? 30;
  const from = now - days * DAY_MS;
  const inWindow = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) <= now;

  const runs = data.runs.filter((r) => inWindow(r.at));
  const failed = runs.filter((r) => r.exitCode !== undefined && r.exitCode !== 0);
  const recognised = failed.filter((r) => r.fingerprints.length > 0);
  const apps = Object.values(applications.get(data)).filter((a) => inWindow(a.endedAt));
  const finished = apps.filter((a) => a.state === 'verified' || a.state === 'reverted' || a.state === 'applied');
  const verified = apps.filter((a) => a.state === 'verified');
  const autoFixed = verified.filter((a) => a.auto).length;

  const flaky = flakyPatterns(data);
  const perPattern: PatternMetrics[] = [];
  const resolvedDurations: number[] = [];
  for (const [fp, list] of episodes(data)) {
    const p = data.patterns[fp];
    if (!p) continue;
    const relevant = list.filter((e) => (e.end ?? now) >= from);
    const closed = relevant.filter((e) => e.end !== undefined);
    const durations = closed.map((e) => e.end! - e.start);
    resolvedDurations.push(...durations);
    perPattern.push({
      fingerprint: fp,
      tool: p.tool,
      message: p.examples[0] ?? p.message,
      occurrences:
        p.history.filter((t) => inWindow(t)).length ||
        Object.entries(p.daily)
          .filter(([d]) => d >= day(from))
          .reduce((s, [, n]) => s + n, 0),
      episodes: relevant.length,
      resolved: closed.length,
      meanTimeToResolutionMs: durations.length ? durations.reduce((s, d) => s + d, 0) / durations.length : null,
      timeLostMs: relevant.reduce((s, e) => s + Math.min(EPISODE_CAP_MS, (e.end ?? now) - Math.max(e.start, from)), 0),
      flaky: flaky.get(fp) ?? null,
    });
  }

  const daily: DayMetrics[] = [];
  const costs = (data.sections.dailyCosts ?? {}) as Record<string, { calls?: number }>;
  const firstSeen = Object.values(data.patterns).map((p) => day(Date.parse(p.firstSeen)));
  for (let t = now - (days - 1) * DAY_MS; t <= now; t += DAY_MS) {
    const d = day(t);
    const dayRuns = failed.filter((r) => r.at.startsWith(d));
    const dayApps = finished.filter((a) => a.endedAt!.startsWith(d));
    daily.push({
      date: d,
      failedRuns: dayRuns.length,
      recognisedRuns: dayRuns.filter((r) => r.fingerprints.length > 0).length,
      newPatterns: firstSeen.filter((f) => f === d).length,
      patternsTotal: firstSeen.filter((f) => f <= d).length,
      fixesApplied: dayApps.length,
      fixesVerified: dayApps.filter((a) => a.state === 'verified').length,
      remoteCalls: Number(costs[d]?.calls ?? 0),
    });
  }

  const top = options.top ?? 5;
  return {
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    days,
    failedRuns: failed.length,
    recognisedRuns: recognised.length,
    detectionRate: ratio(recognised.length, failed.length),
    autoFixed,
    autoFixRate: ratio(autoFixed, recognised.length),
    fixesFinished: finished.length,
    fixesVerified: verified.length,
    fixSuccessRate: ratio(verified.length, finished.length),
    meanTimeToResolutionMs: resolvedDurations.length
      ? resolvedDurations.reduce((s, d) => s + d, 0) / resolvedDurations.length
      : null,
    patterns: Object.keys(data.patterns).length,
    daily,
    topByOccurrences: [...perPattern]
      .filter((p) => p.occurrences > 0)
      .sort((a, b) => b.occurrences - a.occurrences)
      .slice(0, top),
    topByTimeLost: [...perPattern]
      .filter((p) => p.timeLostMs > 0)
      .sort((a, b) => b.timeLostMs - a.timeLostMs)
      .slice(0, top),
  };
}
