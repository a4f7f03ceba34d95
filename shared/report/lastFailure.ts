// The failure a report is about: the most recent of a fix that did not hold, a fix Heal's checks refused, one of
// Heal's own crashes, and a failed command Heal could not fix.
import { applications } from '../apply/applications';
import type { StoreData } from '../store/schema';
import { lastIncident } from './incidents';
import type { ReportInput } from './report';

type Failure = Omit<ReportInput, 'heal'>;

/** What Heal last failed at (the newest; at the same time, the more specific record wins). */
export function lastFailure(data: StoreData): Failure | undefined {
  const candidates: Array<{ at: string; rank: number; failure: () => Failure }> = [];
  const reverted = Object.values(applications.get(data))
    .filter((a) => a.state === 'reverted' && a.fingerprint)
    .sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''))
    .pop();
  if (reverted) {
    candidates.push({
      at: reverted.endedAt ?? '',
      rank: 1,
      failure: () => {
        const p = data.patterns[reverted.fingerprint!];
        const kind = /timed out/.test(reverted.reason ?? '')
          ? 'timeout'
          : /verification/.test(reverted.reason ?? '')
            ? 'verify'
            : 'apply';
        return {
          failure: {
            kind,
            tool: p?.tool ?? 'unknown',
            category: p?.category ?? 'unknown',
            fingerprint: reverted.fingerprint!,
            message: `${reverted.description}: ${reverted.reason ?? 'reverted'}`,
          },
          commandLine: reverted.commandLine,
          output: reverted.output,
        };
      },
    });
  }
  const incident = lastIncident(data);
  if (incident) {
    candidates.push({
      at: incident.at,
      rank: 2,
      failure: () => ({
        failure: {
          kind: incident.kind,
          tool: incident.tool,
          category: incident.category,
          fingerprint: incident.fingerprint,
          message: incident.message,
        },
        commandLine: incident.commandLine,
        output: incident.detail,
      }),
    });
  }
  const run = [...data.runs].reverse().find((r) => r.exitCode !== undefined && r.exitCode !== 0);
  if (run) {
    candidates.push({
      at: run.at,
      rank: 0,
      failure: () => {
        const p = run.fingerprints.map((f) => data.patterns[f]).find(Boolean);
        if (!p)
          return {
            failure: {
              kind: 'detection',
              tool: 'unknown',
              category: 'unrecognised',
              fingerprint: 'none',
              message: `exit ${run.exitCode}; no known error recognised`,
            },
            commandLine: run.commandLine,
          };
        return {
          failure: {
            kind: 'detection',
            tool: p.tool,
            category: p.category,
            fingerprint: p.fingerprint,
            message: p.examples[0] ?? p.message,
          },
          commandLine: run.commandLine,
          output: p.examples.join('\n'),
        };
      },
    });
  }
  const latest = candidates.sort((a, b) => a.at.localeCompare(b.at) || a.rank - b.rank).pop();
  return latest?.failure();
}
