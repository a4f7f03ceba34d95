// Grouped, human-readable findings for `scan` and `run`.
import type { ErrorEvent } from '../../shared/detect/detector';
import type { Suggestion } from '../../shared/lookup/suggestion';
import type { Output } from './output';
import { describeFix } from './suggestions';

export interface FindingGroup {
  fingerprint: string;
  events: ErrorEvent[];
}

/** Groups events by fine fingerprint, root causes first, then by first appearance. */
export function groupFindings(events: ErrorEvent[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const e of events) {
    const g = groups.get(e.fingerprint) ?? { fingerprint: e.fingerprint, events: [] };
    g.events.push(e);
    groups.set(e.fingerprint, g);
  }
  return [...groups.values()].sort(
    (a, b) => Number(Boolean(a.events[0].causedBy)) - Number(Boolean(b.events[0].causedBy)),
  );
}

export function location(e: ErrorEvent): string {
  if (!e.file) return '';
  return `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`;
}

/** Findings grouped by root cause; with `suggestions`, each group's best fix under it (the run's summary). */
export function printFindings(
  out: Output,
  events: ErrorEvent[],
  exitCode?: number,
  suggestions: Suggestion[] = [],
): void {
  const errors = events.filter((e) => e.severity === 'error');
  if (events.length === 0) {
    if (exitCode)
      out.line(
        out.yellow(`heal: the command failed (exit ${exitCode}) but no known error was recognised in its output`),
      );
    else out.line(out.green('heal: no failures recognised'));
    return;
  }
  const groups = groupFindings(events);
  out.line(
    out.bold(
      `heal: ${errors.length} error${errors.length === 1 ? '' : 's'} in ${groups.length} group${groups.length === 1 ? '' : 's'}`,
    ),
  );
  for (const g of groups) {
    const e = g.events[0];
    const count = g.events.length > 1 ? ` ×${g.events.length}` : '';
    const sev = e.severity === 'error' ? out.red(e.severity) : out.yellow(e.severity);
    const where = location(e);
    out.line(`  ${sev} ${out.dim(`[${e.tool}/${e.category}]`)} ${e.message}${count}`);
    out.line(
      `    ${out.dim(`${g.fingerprint}${where ? `  ${where}` : ''}${e.causedBy ? `  caused by ${e.causedBy}` : ''}`)}`,
    );
    const fix = suggestions.find((s) => s.fingerprint === g.fingerprint);
    if (fix)
      out.line(
        `    ${out.green('→')} ${describeFix(fix)}${fix.fix.kind === 'advice' ? '' : out.dim(`  (heal apply ${fix.fix.id})`)}`,
      );
  }
}
