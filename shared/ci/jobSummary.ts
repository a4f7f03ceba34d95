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

/** HTML's special characters: GitHub renders the summary as Markdown with inline HTML, so `Promise<string>` would lose `<string>`. */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Text for one line of Markdown: HTML-escaped, except inside code spans (`…`), which Markdown shows literally (an
 * entity there would show as `&lt;`); line breaks become spaces.
 */
export function inline(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = /`+/g;
    open.lastIndex = i;
    const start = open.exec(text);
    if (!start) break;
    // A code span closes at the next run of exactly as many backticks; without one, the backticks are literal.
    const close = new RegExp(`(?<!\`)${start[0]}(?!\`)`, 'g');
    close.lastIndex = start.index + start[0].length;
    const end = close.exec(text);
    if (!end) {
      out += html(text.slice(i, start.index + start[0].length));
      i = start.index + start[0].length;
      continue;
    }
    out += html(text.slice(i, start.index)) + text.slice(start.index, end.index + end[0].length);
    i = end.index + end[0].length;
  }
  return out + html(text.slice(i));
}

/** Text for a table cell: also `|`, which would end the cell (escaped even inside code spans, as GFM requires). */
export const cell = (s: string) => inline(s).replace(/\|/g, '\\|');

/** A code span around any text: a fence longer than the longest run of backticks inside. */
function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function jobSummary(input: SummaryInput): string {
  const errors = input.events.filter((e) => e.severity === 'error');
  const roots = errors.filter((e) => !e.causedBy);
  const followers = (fp: string) => errors.filter((e) => e.causedBy === fp).length;
  const seen = new Set<string>();
  const lines = [
    `### Heal: ${code(input.command)} ${input.exitCode === 0 ? 'passed' : `failed (exit ${input.exitCode})`} in ${(input.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (errors.length === 0) {
    lines.push(input.exitCode === 0 ? 'No failures.' : 'No known error was recognised in the output.');
    return lines.join('\n') + '\n';
  }
  lines.push(
    `${errors.length} error(s), ${roots.length} root cause(s).`,
    '',
    '| | Failure | Where | Suggested fix |',
    '|---|---|---|---|',
  );
  for (const e of roots) {
    if (seen.has(e.fingerprint)) continue;
    seen.add(e.fingerprint);
    const count = errors.filter((x) => x.fingerprint === e.fingerprint).length;
    const more = followers(e.fingerprint);
    const mark = `${input.known.has(e.fingerprint) ? 'known' : '**new**'}${input.flaky?.has(e.fingerprint) ? ' · flaky' : ''}`;
    const where = e.file ? cell(code(`${e.file}${e.line ? `:${e.line}` : ''}`)) : '';
    const what = `${cell(e.message)}${count > 1 ? ` (×${count})` : ''}${more ? ` — causes ${more} more` : ''}<br><sub>${e.tool}/${e.category} · ${e.fingerprint}</sub>`;
    lines.push(`| ${mark} | ${what} | ${where} | ${cell(input.suggestions.get(e.fingerprint) ?? '—')} |`);
  }
  return lines.join('\n') + '\n';
}
