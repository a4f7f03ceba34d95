// Runs the thefuck corpus (failed command + output → expected corrections) through Heal's lookup.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { scanText } from '../../shared/detect/scanner';
import { lookupRun } from '../../shared/lookup/lookup';
import { correctedCommandLine } from '../../shared/lookup/suggestion';
import type { RuleEnvironment } from '../../shared/rules/rule';
import { corporaDir } from '../corpora';

export interface Case {
  rule: string;
  script: string;
  output: string;
  expected?: string[];
}

export function readCases(file: 'sample.jsonl' | 'negatives.jsonl'): Case[] {
  return readFileSync(path.join(corporaDir(), 'thefuck', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Case);
}

/** A fixed machine: common executables on PATH, no files, so results do not depend on where tests run. */
export const corpusEnvironment: RuleEnvironment = {
  platform: 'linux',
  executables: () =>
    new Set(
      'ls cat cp mv rm mkdir touch grep sed awk find git npm node python python3 pip pip3 docker ssh curl wget tar make gcc go cargo java javac man ps kill top less vim nano sort uniq head tail chmod chown ln echo printf env which whereis whoami date df du free mount tmux brew apt apt-get yarn pnpm terraform vagrant aws az systemctl journalctl sudo'.split(
        ' ',
      ),
    ),
  exists: () => false,
  isDirectory: () => false,
  listDirectories: () => [],
  packageScripts: () => undefined,
};

/** Heal's corrected command lines for a case, best first. */
export async function healAnswers(c: Case): Promise<string[]> {
  const events = scanText(c.output).events;
  const suggestions = await lookupRun(events, {
    command: c.script,
    output: c.output,
    env: corpusEnvironment,
    cwd: '/nonexistent-workspace',
  });
  return suggestions.map((s) => correctedCommandLine(s, c.script)).filter((x): x is string => Boolean(x));
}

export async function evaluate(
  cases: Case[],
): Promise<{ top1: number; top3: number; misses: Array<{ c: Case; got: string[] }> }> {
  let top1 = 0;
  let top3 = 0;
  const misses: Array<{ c: Case; got: string[] }> = [];
  for (const c of cases) {
    const got = await healAnswers(c);
    const want = c.expected![0];
    if (got[0] === want) top1++;
    if (got.slice(0, 3).includes(want)) top3++;
    else misses.push({ c, got: got.slice(0, 3) });
  }
  return { top1: top1 / cases.length, top3: top3 / cases.length, misses };
}
