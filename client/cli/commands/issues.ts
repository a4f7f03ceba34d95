import type { Command } from 'commander';
import { applicableProposals, type Proposal } from '../../../shared/apply/proposals';
import { ignore } from '../../../shared/learn/quarantine';
import { openPatterns } from '../../../shared/store/patterns';
import type { Pattern, StoreData } from '../../../shared/store/schema';
import type { CliEnv } from '../main';
import { CliError, ExitCode, table, type Output } from '../output';
import { runApply } from '../applyFlow';

function issueJson(p: Pattern, fix: Proposal | undefined) {
  return {
    fingerprint: p.fingerprint,
    tool: p.tool,
    category: p.category,
    count: p.counts.seen,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    sample: p.examples[0] ?? p.message,
    quarantined: p.quarantined,
    fix: fix
      ? {
          id: fix.fix.id,
          kind: fix.fix.kind,
          description: fix.fix.description,
          safety: fix.safety,
          confidence: fix.confidence,
        }
      : null,
  };
}

function issuesOf(data: StoreData): Array<{ pattern: Pattern; fix?: Proposal }> {
  return openPatterns(data).map((pattern) => ({
    pattern,
    fix: pattern.quarantined ? undefined : applicableProposals(data, pattern.fingerprint)[0],
  }));
}

function show(out: Output, index: number, total: number, pattern: Pattern, fix: Proposal | undefined): void {
  out.line('');
  out.line(out.bold(`Issue ${index + 1} of ${total}: ${pattern.tool} ${pattern.category} (${pattern.fingerprint})`));
  out.line(`  ${out.red(pattern.examples[0] ?? pattern.message)}`);
  if (pattern.file) out.line(out.dim(`  at ${pattern.file}${pattern.line ? `:${pattern.line}` : ''}`));
  out.line(
    out.dim(
      `  seen ${pattern.counts.seen}× — first ${pattern.firstSeen.slice(0, 16).replace('T', ' ')}, last ${pattern.lastSeen.slice(0, 16).replace('T', ' ')}${pattern.commands[0] ? ` — \`${pattern.commands[0]}\`` : ''}`,
    ),
  );
  if (pattern.quarantined)
    out.line(out.yellow('  quarantined: its fixes kept failing (heal unquarantine to allow them again)'));
  else if (fix)
    out.line(
      `  suggested fix ${fix.fix.id}: ${fix.fix.kind === 'edit' ? fix.fix.description : `${fix.fix.kind === 'replace' ? 'run instead' : 'run'} \`${fix.fix.command}\``} [${fix.safety}, ${Math.round(fix.confidence * 100)}%]`,
    );
  else out.line(out.dim('  no fix to apply yet'));
}

export function register(program: Command, env: CliEnv): void {
  const issues = program
    .command('issues')
    .description('open issues: list them (the default), or review them one at a time');
  issues
    .command('list', { isDefault: true })
    .description('a table of open issues with their suggested fix (--json for a document)')
    .action(async () => {
      const out = env.output();
      const all = issuesOf(await env.store().read());
      if (out.json) {
        out.printJson({ issues: all.map(({ pattern, fix }) => issueJson(pattern, fix)) });
        return;
      }
      if (all.length === 0) {
        out.line(out.green('No open issues.'));
        return;
      }
      const rows = all.map(({ pattern: p, fix }) => [
        p.fingerprint,
        String(p.counts.seen),
        p.tool,
        p.lastSeen.slice(0, 16).replace('T', ' '),
        p.quarantined ? 'quarantined' : fix ? `${fix.fix.id} (${fix.safety})` : '-',
        (p.examples[0] ?? p.message).slice(0, 70),
      ]);
      out.line(table(rows, ['FINGERPRINT', 'COUNT', 'TOOL', 'LAST SEEN', 'FIX', 'SAMPLE']));
    });
  issues
    .command('review')
    .description('go through open issues one at a time: apply the suggested fix, ignore, skip or quit')
    .action(async () => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new CliError(
          'heal issues review needs an interactive terminal. Without one, use `heal issues list`, then `heal apply <fix-id>` or `heal ignore <fingerprint>`.',
          ExitCode.usage,
        );
      }
      const out = env.output();
      const { select } = await import('@inquirer/prompts');
      const all = issuesOf(await env.store().read());
      if (all.length === 0) {
        out.line(out.green('No open issues.'));
        return;
      }
      const tally = { applied: 0, ignored: 0, skipped: 0 };
      for (const [i, { pattern, fix }] of all.entries()) {
        show(out, i, all.length, pattern, fix);
        const choices = [
          ...(fix ? [{ name: `apply fix ${fix.fix.id}`, value: 'apply' }] : []),
          { name: 'ignore this issue', value: 'ignore' },
          { name: 'skip', value: 'skip' },
          { name: 'quit', value: 'quit' },
        ];
        const action = await select({ message: 'What now?', choices });
        if (action === 'quit') break;
        if (action === 'skip') tally.skipped++;
        if (action === 'ignore') {
          await env.store().update((data) => ignore(data, pattern.fingerprint));
          tally.ignored++;
        }
        if (action === 'apply' && fix) {
          try {
            const r = await runApply(env, out, fix.fix.id, {});
            if (r.application.state !== 'reverted') tally.applied++;
          } catch (e) {
            // A refused fix is reported and the review goes on.
            if (!(e instanceof CliError)) throw e;
            out.warn(e.message);
          }
        }
      }
      out.line(`\nReviewed: ${tally.applied} applied, ${tally.ignored} ignored, ${tally.skipped} skipped.`);
    });
}
