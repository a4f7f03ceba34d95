import type { Command } from 'commander';
import sparkly from 'sparkly';
import { computeMetrics, type PatternMetrics } from '../../../shared/metrics/metrics';
import type { CliEnv } from '../main';
import { CliError, table } from '../output';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(0)} %`);

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.round(ms / 1000)} s`;
  if (m < 120) return `${m} min`;
  return `${(m / 60).toFixed(1)} h`;
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('metrics')
    .description(
      'whether Heal is helping: detection, auto-fix and fix success rates, time to resolution, top errors, daily trends',
    )
    .option('--days <n>', 'the window, in days', '30')
    .action(async (options: { days: string }) => {
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650)
        throw new CliError(`heal metrics: --days must be a whole number from 1 to 3650, not "${options.days}"`);
      const out = env.output();
      const m = computeMetrics(await env.store().read(), { days });
      if (out.json) {
        out.printJson(m);
        return;
      }
      const spark = (values: number[]) =>
        values.some((v) => v > 0) ? sparkly(values, { minimum: 0 }) : '·'.repeat(values.length);
      const series = (key: 'failedRuns' | 'recognisedRuns' | 'fixesVerified' | 'patternsTotal' | 'remoteCalls') =>
        m.daily.map((d) => d[key]);
      out.line(
        out.bold(`Heal metrics, last ${days} day${days === 1 ? '' : 's'}`) +
          out.dim(`  (${m.from.slice(0, 10)} … ${m.to.slice(0, 10)})`),
      );
      out.line(
        table(
          [
            [
              'detection rate',
              pct(m.detectionRate),
              `${m.recognisedRuns} of ${m.failedRuns} failed commands recognised`,
              spark(series('recognisedRuns')),
            ],
            ['auto-fix rate', pct(m.autoFixRate), `${m.autoFixed} fixed by Heal itself`, ''],
            [
              'fix success rate',
              pct(m.fixSuccessRate),
              `${m.fixesVerified} of ${m.fixesFinished} applied fixes verified`,
              spark(series('fixesVerified')),
            ],
            ['time to resolution', duration(m.meanTimeToResolutionMs), 'mean, resolved failures', ''],
            ['failed commands', String(m.failedRuns), 'per day', spark(series('failedRuns'))],
            ['patterns', String(m.patterns), 'remembered, growth per day', spark(series('patternsTotal'))],
            [
              'remote calls',
              String(series('remoteCalls').reduce((s, n) => s + n, 0)),
              'daily cost (the embedded store costs nothing)',
              spark(series('remoteCalls')),
            ],
          ],
          ['METRIC', 'VALUE', '', 'TREND'],
        ),
      );
      const rows = (list: PatternMetrics[]) =>
        list.map((p) => [
          p.fingerprint,
          String(p.occurrences),
          duration(p.timeLostMs),
          duration(p.meanTimeToResolutionMs),
          p.tool,
          `${p.flaky !== null ? '[flaky] ' : ''}${p.message.split('\n')[0].slice(0, 70)}`,
        ]);
      const header = ['FINGERPRINT', 'SEEN', 'TIME LOST', 'MTTR', 'TOOL', 'ERROR'];
      out.line(`\n${out.bold('Top errors by occurrences')}`);
      out.line(m.topByOccurrences.length ? table(rows(m.topByOccurrences), header) : out.dim('  none recorded'));
      out.line(`\n${out.bold('Top errors by time lost')}`);
      out.line(m.topByTimeLost.length ? table(rows(m.topByTimeLost), header) : out.dim('  none recorded'));
    });
}
