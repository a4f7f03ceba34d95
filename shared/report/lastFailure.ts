// The failure a report is about: the latest fix that did not hold, or the latest failed command Heal could not fix.
import { applications } from '../apply/applications';
import type { StoreData } from '../store/schema';
import type { ReportInput } from './report';

/** What Heal last failed at: a fix that did not hold, or a failed command it could not fix. */
export function lastFailure(data: StoreData): Omit<ReportInput, 'heal'> | undefined {
  const reverted = Object.values(applications.get(data))
    .filter((a) => a.state === 'reverted' && a.fingerprint)
    .sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''))
    .pop();
  const run = [...data.runs].reverse().find((r) => r.exitCode !== undefined && r.exitCode !== 0);
  if (reverted && (!run || (reverted.endedAt ?? '') >= run.at)) {
    const p = data.patterns[reverted.fingerprint!];
    const kind = /timed out/.test(reverted.reason ?? '') ? 'timeout' : /verification/.test(reverted.reason ?? '') ? 'verify' : 'apply';
    return { failure: { kind, tool: p?.tool ?? 'unknown', category: p?.category ?? 'unknown', fingerprint: reverted.fingerprint!, message: `${reverted.description}: ${reverted.reason ?? 'reverted'}` }, commandLine: reverted.commandLine, output: reverted.output };
  }
  if (!run) return undefined;
  const p = run.fingerprints.map((f) => data.patterns[f]).find(Boolean);
  if (!p) return { failure: { kind: 'detection', tool: 'unknown', category: 'unrecognised', fingerprint: 'none', message: `exit ${run.exitCode}; no known error recognised` }, commandLine: run.commandLine };
  return { failure: { kind: 'detection', tool: p.tool, category: p.category, fingerprint: p.fingerprint, message: p.examples[0] ?? p.message }, commandLine: run.commandLine, output: p.examples.join('\n') };
}
