// Learning from the user's own fixes. When a command fails in a git work tree, Heal notes the tree's state
// (`git stash create`: a commit of the working tree that touches neither the tree nor any ref). When the same
// command later passes there, with no Heal fix in between, the change since that state is what fixed it: Heal
// offers to remember it (as edits, scrubbed) as the fix for the failures — only when the user confirms.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { structuredPatch } from 'diff';
import { z } from 'zod';
import { fixSchema, type Fix, type TextEdit } from '../fix';
import { fixId } from '../lookup/lookup';
import { scrub } from '../scrub';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';
import { recordOutcome } from './outcome';
import { applications } from '../apply/applications';

const run = promisify(execFile);
/** A change bigger than this is not "the fix" but ordinary work; it is not offered. */
export const MAX_LEARNED_LINES = 80;
const MAX_PENDING = 50;

const failureSchema = z.object({
  commandLine: z.string(),
  cwd: z.string(),
  snapshot: z.string(),
  fingerprints: z.array(z.string()),
  at: z.string(),
});
const offerSchema = z.object({
  id: z.string(),
  commandLine: z.string(),
  cwd: z.string(),
  fingerprints: z.array(z.string()),
  fix: fixSchema,
  diff: z.string(),
  at: z.string(),
});
export type LearnOffer = z.infer<typeof offerSchema>;

/** Failures waiting for their command to pass, and changes offered to be remembered. */
export const userFixSection = defineSection(
  'userFixes',
  z.object({ failures: z.array(failureSchema), offers: z.array(offerSchema) }),
  () => ({ failures: [], offers: [] }),
);

async function git(cwd: string, args: string[]): Promise<string> {
  return (await run('git', args, { cwd, maxBuffer: 4 << 20, timeout: 10_000 })).stdout;
}

/** Folders known not to be in a git work tree (asked once per process). */
const notGit = new Set<string>();

/** The working tree's state as a commit id, or undefined outside a git work tree. */
export async function snapshot(cwd: string): Promise<string | undefined> {
  if (notGit.has(cwd)) return undefined;
  const inside = await git(cwd, ['rev-parse', '--is-inside-work-tree']).then(
    (o) => o.trim() === 'true',
    () => false,
  );
  if (!inside) {
    notGit.add(cwd);
    return undefined;
  }
  try {
    const stash = (await git(cwd, ['stash', 'create'])).trim();
    return stash || (await git(cwd, ['rev-parse', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Notes a failed run (call with the snapshot taken right after it). */
export function noteFailure(data: StoreData, failure: z.infer<typeof failureSchema>): void {
  const s = userFixSection.get(data);
  s.failures = [
    ...s.failures.filter((f) => !(f.commandLine === failure.commandLine && f.cwd === failure.cwd)),
    failure,
  ].slice(-MAX_PENDING);
  userFixSection.set(data, s);
}

/** The failure noted for this command and folder, if it is still waiting. */
export function pendingFailure(data: StoreData, commandLine: string, cwd: string) {
  return userFixSection.get(data).failures.find((f) => f.commandLine === commandLine && f.cwd === cwd);
}

/** Edits that turn each file's snapshot content into its current content, from git's diff. */
async function editsSince(
  cwd: string,
  base: string,
): Promise<{ edits: TextEdit[]; diff: string; lines: number } | undefined> {
  // git names files from the top of the work tree; edits name them from where the command ran.
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  const diff = await git(top, ['diff', '--no-color', '--no-ext-diff', base, '--']);
  if (!diff.trim()) return undefined;
  const files = (await git(top, ['diff', '--name-only', '--diff-filter=M', base, '--'])).split('\n').filter(Boolean);
  const edits: TextEdit[] = [];
  let lines = 0;
  for (const file of files) {
    const before = await git(top, ['show', `${base}:${file}`]).catch(() => undefined);
    const after = await readFile(path.join(top, file), 'utf8').catch(() => undefined);
    if (before === undefined || after === undefined) return undefined;
    for (const hunk of structuredPatch(file, file, before, after, '', '', { context: 0 }).hunks) {
      const removed = hunk.lines.filter((l) => l.startsWith('-')).length;
      const added = hunk.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
      lines += removed + added.length;
      const start = removed === 0 ? hunk.oldStart : hunk.oldStart - 1; // a pure insertion goes after oldStart
      edits.push({
        file: path.relative(cwd, path.join(top, file)),
        range: { start: { line: start, character: 0 }, end: { line: start + removed, character: 0 } },
        newText: added.map((l) => `${l}\n`).join(''),
      });
    }
  }
  return { edits, diff, lines };
}

/**
 * After a passing run: if this command failed here before and the tree changed since, without a verified Heal
 * fix for those failures, returns the change as an offer (also kept in the store until accepted or replaced).
 */
export async function offerFor(
  data: StoreData,
  commandLine: string,
  cwd: string,
  healFixed: (fingerprint: string, since: string) => boolean,
): Promise<LearnOffer | undefined> {
  const failure = pendingFailure(data, commandLine, cwd);
  if (!failure || failure.fingerprints.every((f) => healFixed(f, failure.at))) return undefined;
  const change = await editsSince(cwd, failure.snapshot).catch(() => undefined);
  if (!change || change.lines === 0 || change.lines > MAX_LEARNED_LINES) return undefined;
  const diff = scrub(change.diff);
  // Text the scrubber had to mask cannot be replayed faithfully: then the change is remembered as advice.
  const exact = change.edits.every((e) => scrub(e.newText) === e.newText);
  const description = `Your earlier fix: ${change.edits.length} edit(s) in ${[...new Set(change.edits.map((e) => e.file))].join(', ')}`;
  const base = exact
    ? { kind: 'edit' as const, edits: change.edits, description }
    : { kind: 'advice' as const, description: `${description} (see the diff)` };
  const fix: Fix = { id: fixId(base, failure.fingerprints[0]), ...base };
  const id = createHash('sha256').update(`${commandLine}\0${cwd}\0${failure.at}`).digest('hex').slice(0, 10);
  return { id, commandLine, cwd, fingerprints: failure.fingerprints, fix, diff, at: new Date().toISOString() };
}

/** Whether a Heal fix for `fingerprint` verified after `since`: then the change was Heal's, not the user's. */
export function healFixed(data: StoreData): (fingerprint: string, since: string) => boolean {
  return (fingerprint, since) =>
    Object.values(applications.get(data)).some(
      (a) => a.fingerprint === fingerprint && a.state === 'verified' && (a.endedAt ?? '') > since,
    );
}

/** Keeps an offer until the user answers; the failure it came from is settled either way. */
export function keepOffer(data: StoreData, offer: LearnOffer): void {
  const s = userFixSection.get(data);
  s.failures = s.failures.filter((f) => !(f.commandLine === offer.commandLine && f.cwd === offer.cwd));
  s.offers = [...s.offers.filter((o) => o.id !== offer.id), offer].slice(-MAX_PENDING);
  userFixSection.set(data, s);
}

export function findOffer(data: StoreData, id: string): LearnOffer | undefined {
  return userFixSection.get(data).offers.find((o) => o.id === id || o.id.startsWith(id));
}

/** The user said yes: the change becomes a remembered (tier-1) fix of each failure it fixed. */
export function acceptOffer(data: StoreData, offer: LearnOffer): void {
  for (const fp of offer.fingerprints) recordOutcome(data, fp, offer.fix, 'verified', offer.at);
  dropOffer(data, offer.id);
}

export function dropOffer(data: StoreData, id: string): void {
  const s = userFixSection.get(data);
  s.offers = s.offers.filter((o) => o.id !== id);
  userFixSection.set(data, s);
}
