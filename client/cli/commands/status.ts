import type { Command } from 'commander';
import { openPatterns } from '../../../shared/store/patterns';
import { flakyPatterns } from '../../../shared/learn/flakiness';
import type { CliEnv } from '../main';
import { table } from '../output';
import { fixingStatusJson, printFixingStatus } from '../fixingStatus';
import { remoteHealth, type RemoteHealth } from '../../../shared/remote/remoteHealth';
import type { Output } from '../output';

function printRemote(out: Output, h: RemoteHealth): void {
  const where = `shared memory: ${h.host} (project ${h.project})`;
  const queue = `${h.pending} write(s) queued; ${h.cachedPatterns} pattern(s) cached${h.cachedAt ? ` at ${h.cachedAt.slice(0, 16).replace('T', ' ')}` : ''}; ${h.callsToday}/${h.dailyLimit} remote calls today`;
  if (h.reachable)
    out.line(
      `${out.green(where)} ${out.dim(`reachable in ${h.latencyMs} ms; team circuit breaker ${h.breaker?.state}; ${queue}`)}`,
    );
  else out.line(`${out.yellow(where)} ${out.dim(`unreachable: ${h.error}; ${queue}`)}`);
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('status')
    .description('open issues grouped by fingerprint: count, first and last seen, tool, sample')
    .action(async () => {
      const out = env.output();
      const store = env.store();
      const data = await store.read();
      const open = openPatterns(data);
      const flaky = flakyPatterns(
        data,
        open.map((p) => p.fingerprint),
      );
      const shared = await env.shared.get();
      const remote = shared ? await remoteHealth(shared) : undefined;
      if (out.json) {
        out.printJson({
          store: store.file,
          ...fixingStatusJson(data),
          remote: remote ?? null,
          openIssues: open.map((p) => ({
            fingerprint: p.fingerprint,
            coarseFingerprint: p.coarseFingerprint,
            tool: p.tool,
            category: p.category,
            count: p.counts.seen,
            firstSeen: p.firstSeen,
            lastSeen: p.lastSeen,
            file: p.file ?? null,
            line: p.line ?? null,
            sample: p.examples[0] ?? p.message,
            quarantined: p.quarantined,
            flaky: flaky.has(p.fingerprint),
            determinism: flaky.get(p.fingerprint) ?? null,
          })),
        });
        return;
      }
      out.line(out.dim(`store: ${store.file}`));
      printFixingStatus(out, data);
      if (remote) printRemote(out, remote);
      if (open.length === 0) {
        out.line(out.green('No open issues.'));
        return;
      }
      out.line(out.bold(`${open.length} open issue${open.length === 1 ? '' : 's'}`));
      const rows = open.map((p) => [
        p.fingerprint,
        String(p.counts.seen),
        p.tool,
        p.firstSeen.slice(0, 16).replace('T', ' '),
        p.lastSeen.slice(0, 16).replace('T', ' '),
        `${flaky.has(p.fingerprint) ? '[flaky] ' : ''}${(p.examples[0] ?? p.message).slice(0, 80)}`,
      ]);
      out.line(table(rows, ['FINGERPRINT', 'COUNT', 'TOOL', 'FIRST SEEN', 'LAST SEEN', 'SAMPLE']));
    });
}
