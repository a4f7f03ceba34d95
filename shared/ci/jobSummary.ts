// Markdown job summary (for $GITHUB_STEP_SUMMARY): failures grouped by root cause, with suggestions.
import type { ErrorEvent } from '../detect/detector';

export interface SummaryInput {
  command: string;
  exitCode: number;
  durationMs: number;
  events: ErrorEvent[];
  /** Top suggestion text per fingerprint. */
  suggestions: Map<string, string>;
  /** Fingerprints already known before this run. */
  known: Set<string>;
  /** Flaky failures: marked, and their suggestion is to retry or quarantine. */
  flaky?: ReadonlySet<string>;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function jobSummary(input: SummaryInput): string {
  const errors = input.events.filter((e) => e.severity === 'error');
  const roots = errors.filter((e) => !e.causedBy);
  const followers = (fp: string) => errors.filter((e) => e.causedBy === fp).length;
  const seen = new Set<string>();
  const lines = [
    `### Heal: \`${cell(input.command)}\` ${input.exitCode === 0 ? 'passed' : `failed (exit ${input.exitCode})`} in ${(input.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (errors.length === 0) {
    lines.push(input.exitCode === 0 ? 'No failures.' : 'No known error was recognised in the output.');
    return lines.join('\n') + '\n';
  }
  lines.push(`${errors.length} error(s), ${roots.length} root cause(s).`, '', '| | Failure | Where | Suggested fix |', '|---|---|---|---|');
  for (const e of roots) {
    if (seen.has(e.fingerprint)) continue;
    seen.add(e.fingerprint);
    const count = errors.filter((x) => x.fingerprint === e.fingerprint).length;
    const more = followers(e.fingerprint);
    const mark = `${input.known.has(e.fingerprint) ? 'known' : '**new**'}${input.flaky?.has(e.fingerprint) ? ' · flaky' : ''}`;
    const where = e.file ? `\`${cell(e.file)}${e.line ? `:${e.line}` : ''}\`` : '';
    const what = `${cell(e.message)}${count > 1 ? ` (×${count})` : ''}${more ? ` — causes ${more} more` : ''}<br><sub>${e.tool}/${e.category} · ${e.fingerprint}</sub>`;
    lines.push(`| ${mark} | ${what} | ${where} | ${cell(input.suggestions.get(e.fingerprint) ?? '—')} |`);
  }
  return lines.join('\n') + '\n';
}
