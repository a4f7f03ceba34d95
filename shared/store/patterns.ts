// Recording occurrences of errors as patterns, with bounded history.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineSection } from './section';
import { normalizeMessage } from '../fingerprint';
import { scrub } from '../scrub';
import type { ErrorEvent } from '../detect/detector';
import {
  MAX_DAILY_DAYS,
  MAX_EXAMPLES,
  MAX_HISTORY,
  MAX_RUNS,
  type Pattern,
  type RunRecord,
  type StoreData,
} from './schema';

export interface RunInfo {
  source: string;
  commandLine?: string;
  cwd?: string;
  exitCode?: number;
  durationMs?: number;
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

function trimDaily(daily: Record<string, number>): void {
  const days = Object.keys(daily);
  if (days.length <= MAX_DAILY_DAYS) return;
  days.sort();
  for (const day of days.slice(0, days.length - MAX_DAILY_DAYS)) delete daily[day];
}

export function newPattern(event: ErrorEvent, at: string): Pattern {
  return {
    fingerprint: event.fingerprint,
    coarseFingerprint: event.coarseFingerprint,
    tool: event.tool,
    category: event.category,
    message: normalizeMessage(event.message),
    examples: [],
    file: event.file,
    line: event.line,
    counts: { seen: 0, fixed: 0, failed: 0 },
    firstSeen: at,
    lastSeen: at,
    history: [],
    daily: {},
    fixes: [],
    confidence: 0,
    quarantined: false,
    ignored: false,
    commands: [],
  };
}

/** Adds one occurrence of `event` at `at` (ISO time) to the store document. */
export function recordOccurrence(data: StoreData, event: ErrorEvent, at: string, commandLine?: string): Pattern {
  // Everything stored is scrubbed (DESIGN.md): a token or a home path in the output must not end up in the store.
  // Scrubbed only when stored (a new pattern or a new example), so a long run of repeats costs nothing extra.
  let message: string | undefined;
  const scrubbed = () => (message ??= scrub(event.message));
  const pattern = (data.patterns[event.fingerprint] ??= newPattern({ ...event, message: scrubbed() }, at));
  pattern.counts.seen++;
  if (at > pattern.lastSeen) pattern.lastSeen = at;
  if (at < pattern.firstSeen) pattern.firstSeen = at;
  pushBounded(pattern.history, at, MAX_HISTORY);
  const day = at.slice(0, 10);
  pattern.daily[day] = (pattern.daily[day] ?? 0) + 1;
  trimDaily(pattern.daily);
  if (pattern.examples.length < MAX_EXAMPLES && !pattern.examples.includes(scrubbed()))
    pattern.examples.push(scrubbed());
  if (event.data) pattern.data = event.data;
  if (event.file) {
    pattern.file = event.file;
    pattern.line = event.line;
  }
  if (commandLine && !pattern.commands.includes(commandLine)) pushBounded(pattern.commands, commandLine, 10);
  delete pattern.resolvedAt;
  return pattern;
}

/** Records a whole run: each event as an occurrence and the run itself (for metrics and flakiness). */
export function recordRun(
  data: StoreData,
  events: ErrorEvent[],
  run: RunInfo,
  at = new Date().toISOString(),
): RunRecord {
  for (const event of events) recordOccurrence(data, event, at, run.commandLine);
  recordCauses(data, events);
  const record: RunRecord = {
    id: randomUUID(),
    at,
    ...run,
    fingerprints: [...new Set(events.map((e) => e.fingerprint))],
  };
  pushBounded(data.runs, record, MAX_RUNS);
  // A passing run of a command resolves the open patterns last seen with it.
  if (run.exitCode === 0 && run.commandLine) {
    for (const pattern of Object.values(data.patterns)) {
      if (
        !pattern.resolvedAt &&
        pattern.commands.includes(run.commandLine) &&
        !record.fingerprints.includes(pattern.fingerprint)
      )
        pattern.resolvedAt = at;
    }
  }
  return record;
}

const MAX_EDGES = 2000;

/** Learned cause → effect edges with counts (`cause>effect` → count). */
export const causalityEdges = defineSection('causality', z.record(z.string(), z.number().int().min(0)), () => ({}));

function recordCauses(data: StoreData, events: ErrorEvent[]): void {
  const followers = events.filter((e) => e.causedBy);
  if (followers.length === 0) return;
  const edges = causalityEdges.get(data);
  for (const e of followers) {
    const key = `${e.causedBy}>${e.fingerprint}`;
    edges[key] = (edges[key] ?? 0) + 1;
  }
  const keys = Object.keys(edges);
  if (keys.length > MAX_EDGES)
    for (const k of keys.sort((a, b) => edges[a] - edges[b]).slice(0, keys.length - MAX_EDGES)) delete edges[k];
  causalityEdges.set(data, edges);
}

/** Edges seen at least twice, as effect → causes, for linkCauses. */
export function knownEdges(data: StoreData): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [key, count] of Object.entries(causalityEdges.get(data))) {
    if (count < 2) continue;
    const [cause, effect] = key.split('>');
    (out.get(effect) ?? out.set(effect, new Set()).get(effect)!).add(cause);
  }
  return out;
}

/** Open issues: seen, not resolved, not ignored. */
export function openPatterns(data: StoreData): Pattern[] {
  return Object.values(data.patterns)
    .filter((p) => !p.resolvedAt && !p.ignored)
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
}
