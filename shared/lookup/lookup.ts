// Lookup: for a failed run, ranked and explained suggestions from memory (exact, then similar) and rules.
import { createHash } from 'node:crypto';
import type { ErrorEvent } from '../detect/detector';
import type { Fix } from '../fix';
import { splitCommand, programName } from '../corrections/commandLine';
import { builtinRules } from '../rules';
import type { Proposal, Rule, RuleEnvironment, RuleInput } from '../rules/rule';
import { machineEnvironment } from '../rules/environment';
import { classifyFix } from '../validate/safety';
import { wilsonLowerBound } from '../learn/confidence';
import type { PatternSource } from './patternSource';
import type { Pattern } from '../store/schema';
import { identityOf, mentions, renameIn, renaming, SIMILARITY_THRESHOLD } from './similar';
import type { Suggestion } from './suggestion';

export interface LookupContext {
  /** The failed command line, when known. */
  command?: string;
  /** The (clean) output of the failed command, for command-line corrections. */
  output?: string;
  exitCode?: number;
  cwd?: string;
  /** Pattern memories in lookup order (local first, then remote). */
  sources?: PatternSource[];
  env?: RuleEnvironment;
  rules?: Rule[];
  /** Workspace root for the safety classifier (edits outside it are dangerous). */
  workspaceRoot?: string;
  /** Flaky failures (fingerprint → determinism): they get retry/quarantine advice instead of fixes. */
  flaky?: ReadonlyMap<string, number>;
}

const TIER_ORDER = { exact: 0, similar: 1, rule: 2 } as const;

/** A stable id for a fix: the same fix for the same failure always gets the same id. */
export function fixId(fix: Omit<Fix, 'id'>, fingerprint = ''): string {
  return createHash('sha256')
    .update(JSON.stringify([fingerprint, fix.kind, fix.command ?? '', fix.edits ?? [], fix.description]))
    .digest('hex')
    .slice(0, 12);
}

function fromProposal(p: Proposal, rule: Rule, ctx: LookupContext): Suggestion {
  const base = { kind: p.kind, command: p.command, edits: p.edits, description: p.description };
  const fix: Fix = { id: fixId(base, p.event?.fingerprint), ...base };
  const safety = classifyFix(fix, ctx.workspaceRoot ?? ctx.cwd ?? process.cwd());
  return {
    fix,
    tier: 'rule',
    confidence: p.confidence,
    why: p.why,
    safety: safety.safety,
    provenance: `rule:${rule.id}`,
    fingerprint: p.event?.fingerprint,
  };
}

async function fromMemory(event: ErrorEvent, ctx: LookupContext): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  const root = ctx.workspaceRoot ?? ctx.cwd ?? process.cwd();
  for (const source of ctx.sources ?? []) {
    const pattern = await source.exact(event.fingerprint).catch(() => undefined);
    if (!pattern || pattern.quarantined || pattern.ignored || pattern.fixes.length === 0) continue;
    const trials = pattern.counts.fixed + pattern.counts.failed;
    for (const fix of pattern.fixes) {
      out.push({
        fix,
        tier: 'exact',
        confidence: Math.max(pattern.confidence, wilsonLowerBound(pattern.counts.fixed, trials), 0.5),
        why: trials
          ? `This exact failure was fixed this way before (${pattern.counts.fixed} of ${trials} times).`
          : 'This exact failure is remembered with this fix (imported, not yet verified on this machine).',
        safety: classifyFix(fix, root).safety,
        provenance: `pattern:${pattern.fingerprint}@${source.name}`,
        fingerprint: event.fingerprint,
      });
    }
  }
  if (out.length > 0) return out;
  for (const source of ctx.sources ?? []) {
    const similar = await source.similar(event.message, event.tool, 3).catch(() => []);
    for (const { pattern, similarity } of similar) {
      if (similarity < SIMILARITY_THRESHOLD || pattern.quarantined || pattern.ignored || pattern.counts.fixed === 0)
        continue;
      const { renames, unmatched } = renaming(
        identityOf({ data: pattern.data, message: pattern.examples[0] ?? pattern.message }),
        identityOf(event),
      );
      const alike = `${Math.round(similarity * 100)}% alike`;
      for (const fix of pattern.fixes) {
        const adapted = adaptFix(fix, renames, unmatched, pattern, event);
        if (!adapted) continue;
        // Another name means weaker evidence: an adapted fix is a guess, an unchanged one may be specific without saying so.
        const penalty = renames.length === 0 && unmatched.length === 0 ? 1 : adapted.renamed.length ? 0.9 : 0.8;
        const said = adapted.renamed.map(([a, b]) => `\`${a}\` → \`${b}\``).join(', ');
        out.push({
          fix: adapted.fix,
          tier: 'similar',
          confidence: similarity * Math.max(pattern.confidence, 0.5) * penalty,
          why: adapted.renamed.length
            ? `A similar failure (${alike}) was fixed with "${fix.command ?? fix.description}"; adapted to this one by renaming ${said}.`
            : `A similar failure (${alike}) was fixed this way.`,
          safety: classifyFix(adapted.fix, root).safety,
          provenance: `pattern:${pattern.fingerprint}@${source.name}`,
          fingerprint: event.fingerprint,
        });
      }
    }
  }
  return out;
}

/**
 * A remembered fix of a similar failure, made to fit this one: names of the old failure in its text become this
 * failure's names (`npm install is-number` → `npm install is-odd`). Undefined when it cannot be reused: it names
 * something this failure has no counterpart for, or it edits another file.
 */
function adaptFix(
  fix: Fix,
  renames: Array<[string, string]>,
  unmatched: string[],
  pattern: Pattern,
  event: ErrorEvent,
): { fix: Fix; renamed: Array<[string, string]> } | undefined {
  const texts = [fix.command ?? '', fix.description, ...(fix.edits ?? []).map((e) => e.newText)];
  if (unmatched.some((name) => texts.some((t) => mentions(t, name)))) return undefined;
  if (fix.edits?.length && pattern.file !== event.file) return undefined;
  const renamed = renames.filter(([a]) => texts.some((t) => mentions(t, a)));
  if (renamed.length === 0) return { fix, renamed };
  const base = {
    kind: fix.kind,
    command: fix.command === undefined ? undefined : renameIn(fix.command, renamed),
    edits: fix.edits?.map(({ baseHash: _old, ...e }) => ({ ...e, newText: renameIn(e.newText, renamed) })),
    description: renameIn(fix.description, renamed),
  };
  return { fix: { id: fixId(base, event.fingerprint), ...base }, renamed };
}

function ruleInput(events: ErrorEvent[], ctx: LookupContext): RuleInput {
  const command = ctx.command ?? '';
  const line = splitCommand(command);
  return {
    command,
    line,
    program: programName(line),
    output: ctx.output ?? '',
    events,
    exitCode: ctx.exitCode,
    cwd: ctx.cwd,
    env: ctx.env ?? machineEnvironment(ctx.cwd),
  };
}

function applicable(rule: Rule, input: RuleInput): boolean {
  if (rule.programs && !rule.programs.includes(input.program)) return false;
  if (rule.tools && !input.events.some((e) => rule.tools!.includes(e.tool))) return false;
  return true;
}

/**
 * Best first. Root causes before their followers, whatever the tier (fixing the root usually fixes the rest);
 * then fixes remembered for this exact failure; then by confidence, so a similar failure's fix outranks a rule
 * only when it is more likely to work (on a tie, memory first).
 */
function rank(suggestions: Suggestion[], followers: ReadonlySet<string>): Suggestion[] {
  const seen = new Set<string>();
  const level = (s: Suggestion) => (s.fingerprint && followers.has(s.fingerprint) ? 1 : 0);
  const exact = (s: Suggestion) => (s.tier === 'exact' ? 0 : 1);
  return suggestions
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        level(a.s) - level(b.s) ||
        exact(a.s) - exact(b.s) ||
        b.s.confidence - a.s.confidence ||
        TIER_ORDER[a.s.tier] - TIER_ORDER[b.s.tier] ||
        a.i - b.i,
    )
    .map(({ s }) => s)
    .filter((s) => {
      const key = `${s.fix.kind}\0${s.fix.command ?? s.fix.description}\0${JSON.stringify(s.fix.edits ?? [])}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Suggestions for a failed run: memory first (exact, then similar, per event), then rules over the command
 * line, its output and the detected events. Root causes rank before their followers.
 */
export async function lookupRun(events: ErrorEvent[], ctx: LookupContext = {}): Promise<Suggestion[]> {
  const all: Suggestion[] = [];
  for (const event of events) all.push(...(await fromMemory(event, ctx)));
  const input = ruleInput(events, ctx);
  for (const rule of ctx.rules ?? builtinRules) {
    if (!applicable(rule, input)) continue;
    let proposals: Proposal[];
    try {
      proposals = rule.propose(input);
    } catch {
      continue; // A rule that cannot handle odd input must not take the others down.
    }
    for (const p of proposals) {
      if (p.kind === 'replace' && p.command?.trim() === input.command.trim()) continue;
      all.push(fromProposal(p, rule, ctx));
    }
  }
  // A quarantined or ignored pattern is never suggested for, by any tier, until a person says so.
  const silenced = new Set<string>();
  for (const event of events) {
    for (const source of ctx.sources ?? []) {
      const pattern = await source.exact(event.fingerprint).catch(() => undefined);
      if (pattern?.quarantined || pattern?.ignored) silenced.add(event.fingerprint);
    }
  }
  // A flaky failure is not fixed by editing code: retry or quarantine it instead.
  const flaky = events.filter((e) => ctx.flaky?.has(e.fingerprint) && !silenced.has(e.fingerprint));
  for (const e of flaky) silenced.add(e.fingerprint);
  // Followers of a cascade rank after their root cause (an event that is a root anywhere in the run counts as a root).
  const roots = new Set(events.filter((e) => !e.causedBy).map((e) => e.fingerprint));
  const followers = new Set(events.filter((e) => e.causedBy && !roots.has(e.fingerprint)).map((e) => e.fingerprint));
  return rank(
    [
      ...all.filter((s) => !s.fingerprint || !silenced.has(s.fingerprint)),
      ...flaky.map((e) => flakyAdvice(e, ctx.flaky!.get(e.fingerprint)!)),
    ],
    followers,
  );
}

function flakyAdvice(event: ErrorEvent, determinism: number): Suggestion {
  const what = event.data?.test ? `the test "${event.data.test}"` : 'this failure';
  const base = {
    kind: 'advice' as const,
    description: `Retry or quarantine ${what}: it is flaky (determinism ${determinism.toFixed(2)})`,
  };
  return {
    fix: { id: fixId(base, event.fingerprint), ...base },
    tier: 'exact',
    confidence: 1 - determinism,
    why: 'It failed and passed in turn under the same command without a fix in between, so changing code for it would not help.',
    safety: 'safe',
    provenance: `pattern:${event.fingerprint}@local`,
    fingerprint: event.fingerprint,
  };
}

/** Suggestions for one event. */
export async function lookup(event: ErrorEvent, ctx: LookupContext = {}): Promise<Suggestion[]> {
  return (await lookupRun([event], ctx)).filter((s) => !s.fingerprint || s.fingerprint === event.fingerprint);
}
