import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ErrorEvent } from '../../../shared/detect/detector';
import { LocalPatternSource } from '../../../shared/lookup/localPatternSource';
import { SIMILARITY_THRESHOLD } from '../../../shared/lookup/similar';
import type { Pattern, StoreData } from '../../../shared/store/schema';
import { findPattern, UnknownPatternError } from '../../../shared/learn/quarantine';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';
import { describeFix, suggestAndRemember, suggestionToJson } from '../suggestions';

/**
 * An event standing for a remembered pattern, so rules can be asked about it as `heal run` asked them: the same
 * fingerprint, file, line and data. A pattern keeps no column; rules that need one find it in the file.
 */
export function patternEvent(p: Pattern): ErrorEvent {
  return {
    tool: p.tool,
    category: p.category,
    severity: 'error',
    message: p.examples[0] ?? p.message,
    file: p.file,
    line: p.line,
    data: p.data,
    context: [],
    startLine: 0,
    endLine: 0,
    fingerprint: p.fingerprint,
    coarseFingerprint: p.coarseFingerprint,
  };
}

/** Where and how the pattern was last seen: the run's command line and working folder, so lookup sees what `heal run` saw. */
export function lastSeenWith(data: StoreData, p: Pattern): { command?: string; cwd?: string } {
  for (let i = data.runs.length - 1; i >= 0; i--) {
    const run = data.runs[i];
    if (run.fingerprints.includes(p.fingerprint))
      return { command: run.commandLine ?? p.commands[p.commands.length - 1], cwd: run.cwd };
  }
  return { command: p.commands[p.commands.length - 1] };
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('explain')
    .description(
      'what a pattern is, where it was seen, what each tier knows, its fix history, and why the top suggestion ranks first',
    )
    .argument('<fingerprint>', 'a fingerprint (or a unique prefix) from heal status')
    .action(async (fingerprint: string) => {
      const out = env.output();
      const store = env.store();
      const data = await store.read();
      let p: Pattern;
      try {
        p = findPattern(data, fingerprint);
      } catch (e) {
        if (e instanceof UnknownPatternError) throw new CliError(`heal explain: ${e.message}`, ExitCode.usage);
        throw e;
      }
      const source = new LocalPatternSource(store);
      const similar = (await source.similar(p.message, p.tool, 5)).filter(
        (s) => s.pattern.fingerprint !== p.fingerprint,
      );
      const seen = lastSeenWith(data, p);
      const cwd = seen.cwd && existsSync(seen.cwd) ? seen.cwd : process.cwd();
      // The same lookup as `heal run`, remembered the same way, so `heal apply <id>` takes what this shows.
      const suggestions = await suggestAndRemember(
        store,
        { events: [patternEvent(p)], command: seen.command, output: p.examples.join('\n'), cwd },
        10,
        (await env.shared.get())?.remote,
      );
      if (out.json) {
        out.printJson({
          pattern: p,
          similar: similar.map((s) => ({
            fingerprint: s.pattern.fingerprint,
            similarity: s.similarity,
            message: s.pattern.message,
          })),
          suggestions: suggestions.map(suggestionToJson),
        });
        return;
      }
      out.line(
        out.bold(`${p.fingerprint}  ${p.tool}/${p.category}`) +
          (p.quarantined ? out.red('  quarantined') : '') +
          (p.ignored ? out.yellow('  ignored') : ''),
      );
      out.line(`  ${p.examples[0] ?? p.message}`);
      out.line(out.dim(`  normalised: ${p.message}`));
      out.line(
        `\n${out.bold('Seen')}  ${p.counts.seen} time(s), first ${p.firstSeen}, last ${p.lastSeen}${p.resolvedAt ? `, resolved ${p.resolvedAt}` : ''}`,
      );
      if (p.file) out.line(`  at ${p.file}${p.line ? `:${p.line}` : ''}`);
      for (const c of p.commands) out.line(`  by: ${c}`);
      out.line(
        `\n${out.bold('Tier 1 (exact memory)')}  ${p.fixes.length ? p.fixes.map((f) => f.description).join('; ') : 'no fix remembered yet'} — fixed ${p.counts.fixed}, failed ${p.counts.failed}, confidence ${Math.round(p.confidence * 100)}%`,
      );
      out.line(`${out.bold('Tier 2 (similar memory)')}  ${similar.length ? '' : 'nothing similar'}`);
      for (const s of similar)
        out.line(
          `  ${Math.round(s.similarity * 100)}%${s.similarity >= SIMILARITY_THRESHOLD ? '' : ' (below threshold)'} ${s.pattern.fingerprint} ${s.pattern.message.slice(0, 80)}`,
        );
      out.line(
        `${out.bold('Tier 3 (rules)')}  ${
          suggestions
            .filter((s) => s.tier === 'rule')
            .map((s) => s.provenance.replace('rule:', ''))
            .join(', ') || 'no rule applies'
        }`,
      );
      out.line(
        `\n${out.bold('Fix history')}  verified ${p.counts.fixed}, reverted or failed ${p.counts.failed}${p.lastOutcome ? `, last: ${p.lastOutcome}` : ''}`,
      );
      for (const f of p.fixes) out.line(`  remembered: ${f.description}`);
      const top = suggestions[0];
      out.line(`\n${out.bold('Top suggestion')}  ${top ? describeFix(top) : 'none'}`);
      if (top)
        out.line(
          `  ranks first: ${top.tier === 'exact' ? 'remembered fixes for this exact failure come before anything else' : top.tier === 'similar' ? `a remembered fix of a similar failure, more likely to work (${Math.round(top.confidence * 100)}%) than any rule` : `highest confidence (${Math.round(top.confidence * 100)}%)`}; ${top.why}`,
        );
    });
}
