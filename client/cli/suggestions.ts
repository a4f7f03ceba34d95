// Suggestions for a failed command in the CLI: lookup (memory, then rules), remembered for `heal apply`.
import type { ErrorEvent } from '../../shared/detect/detector';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { lookupRun } from '../../shared/lookup/lookup';
import type { Suggestion } from '../../shared/lookup/suggestion';
import { recordProposals, withBaseHashes } from '../../shared/apply/proposals';
import type { LocalStore } from '../../shared/store/localStore';
import type { Output } from './output';
import type { PatternSource } from '../../shared/lookup/patternSource';
import { flakyPatterns } from '../../shared/learn/flakiness';

export interface SuggestRequest {
  events: ErrorEvent[];
  command?: string;
  output?: string;
  exitCode?: number;
  cwd: string;
}

/** `remote`: the shared memory, asked after the local store (local T1 → remote T1 → local T2 → remote T2 → rules). */
export async function suggestAndRemember(
  store: LocalStore,
  request: SuggestRequest,
  limit = 10,
  remote?: PatternSource,
): Promise<Suggestion[]> {
  const flaky = flakyPatterns(
    await store.read(),
    request.events.map((e) => e.fingerprint),
  );
  const sources: PatternSource[] = [new LocalPatternSource(store), ...(remote ? [remote] : [])];
  const found = await lookupRun(request.events, {
    command: request.command,
    output: request.output,
    exitCode: request.exitCode,
    cwd: request.cwd,
    sources,
    flaky,
  });
  const suggestions = found.slice(0, limit).map((s) => withBaseHashes(s, request.cwd));
  if (suggestions.some((s) => s.fix.kind !== 'advice')) {
    await store.update((data) =>
      recordProposals(data, suggestions, { commandLine: request.command, cwd: request.cwd }),
    );
  }
  return suggestions;
}

export function describeFix(s: Suggestion): string {
  if (s.fix.kind === 'replace') return `run instead: ${s.fix.command}`;
  if (s.fix.kind === 'command') return `run: ${s.fix.command}`;
  if (s.fix.kind === 'edit') return `edit: ${s.fix.description}`;
  return s.fix.description;
}

export function printSuggestion(out: Output, s: Suggestion, label = 'suggestion'): void {
  const safety =
    s.safety === 'dangerous' ? out.red(s.safety) : s.safety === 'review' ? out.yellow(s.safety) : out.green(s.safety);
  out.line(`${out.bold(`heal ${label}:`)} ${describeFix(s)}`);
  out.line(
    `  ${out.dim(`${s.why} [${s.tier}, ${Math.round(s.confidence * 100)}%, ${s.provenance}]`)} ${safety}${s.fix.kind === 'advice' ? '' : out.dim(`  → heal apply ${s.fix.id}`)}`,
  );
}

/** The public JSON shape of a suggestion (`heal suggest --json`). */
export function suggestionToJson(s: Suggestion) {
  return {
    fix: {
      id: s.fix.id,
      kind: s.fix.kind,
      command: s.fix.command ?? null,
      edits: s.fix.edits ?? null,
      description: s.fix.description,
    },
    tier: s.tier,
    confidence: Math.round(s.confidence * 1000) / 1000,
    why: s.why,
    safety: s.safety,
    provenance: s.provenance,
    fingerprint: s.fingerprint ?? null,
  };
}
