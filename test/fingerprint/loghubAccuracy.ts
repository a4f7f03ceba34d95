// Grouping accuracy of coarse fingerprints on loghub's labelled samples (the log-parsing benchmark metric).
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fingerprintLine } from '../../shared/fingerprint';
import { corporaDir } from '../corpora';

export const loghubDir = () => path.join(corporaDir(), 'loghub');

/** Parses `LineId,Content,EventId` rows; Content may be quoted with doubled quotes. */
export function readLoghub(file: string): Array<{ content: string; eventId: string }> {
  const rows: Array<{ content: string; eventId: string }> = [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (!line) continue;
    const first = line.indexOf(',');
    const last = line.lastIndexOf(',');
    let content = line.slice(first + 1, last);
    if (content.startsWith('"') && content.endsWith('"')) content = content.slice(1, -1).replace(/""/g, '"');
    rows.push({ content, eventId: line.slice(last + 1) });
  }
  return rows;
}

/** A message is correct when its group equals exactly the set of messages sharing its EventId. */
export function groupingAccuracy(rows: Array<{ content: string; eventId: string }>): number {
  const predicted = rows.map((r) => fingerprintLine(r.content).coarseFingerprint);
  const byPred = new Map<string, Set<number>>();
  const byTruth = new Map<string, Set<number>>();
  rows.forEach((r, i) => {
    (byPred.get(predicted[i]) ?? byPred.set(predicted[i], new Set()).get(predicted[i])!).add(i);
    (byTruth.get(r.eventId) ?? byTruth.set(r.eventId, new Set()).get(r.eventId)!).add(i);
  });
  let correct = 0;
  rows.forEach((r, i) => {
    const a = byPred.get(predicted[i])!;
    const b = byTruth.get(r.eventId)!;
    if (a.size === b.size && [...a].every((x) => b.has(x))) correct++;
  });
  return correct / rows.length;
}

export function loghubDatasets(): string[] {
  return readdirSync(loghubDir())
    .filter((f) => f.endsWith('.csv'))
    .map((f) => path.join(loghubDir(), f));
}
