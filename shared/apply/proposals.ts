// Proposed fixes remembered by id, so `heal apply <fix-id>` can find what `heal run`/`heal suggest` showed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { fixSchema } from '../fix';
import type { Suggestion } from '../lookup/suggestion';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';

export const MAX_PROPOSALS = 500;

export const proposalSchema = z.object({
  fix: fixSchema,
  fingerprint: z.string().optional(),
  tier: z.enum(['exact', 'similar', 'rule']),
  confidence: z.number(),
  safety: z.enum(['safe', 'review', 'dangerous']),
  why: z.string(),
  provenance: z.string(),
  /** The failed command and where it ran: verification re-runs it. */
  commandLine: z.string().optional(),
  cwd: z.string(),
  createdAt: z.string(),
});
export type Proposal = z.infer<typeof proposalSchema>;

export const proposals = defineSection('proposals', z.record(z.string(), proposalSchema), () => ({}));

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Stamps each edit with the hash of the file it was computed from (the precondition checked at apply time). */
export function withBaseHashes(suggestion: Suggestion, cwd: string): Suggestion {
  if (suggestion.fix.kind !== 'edit' || !suggestion.fix.edits) return suggestion;
  const edits = suggestion.fix.edits.map((e) => {
    if (e.baseHash) return e;
    try {
      return { ...e, baseHash: sha256(readFileSync(path.resolve(cwd, e.file))) };
    } catch {
      return e;
    }
  });
  return { ...suggestion, fix: { ...suggestion.fix, edits } };
}

/**
 * Remembers suggestions (bounded, newest kept). A fix proposed again without a command line (`heal suggest` on
 * pasted output) keeps the failed command and folder an earlier `heal run` stored for it: verification re-runs it.
 */
export function recordProposals(
  data: StoreData,
  suggestions: Suggestion[],
  context: { commandLine?: string; cwd: string },
  at = new Date().toISOString(),
): void {
  const all = proposals.get(data);
  for (const s of suggestions) {
    const earlier = all[s.fix.id];
    const where =
      !context.commandLine && earlier?.commandLine
        ? { commandLine: earlier.commandLine, cwd: earlier.cwd }
        : { commandLine: context.commandLine, cwd: context.cwd };
    all[s.fix.id] = {
      fix: s.fix,
      fingerprint: s.fingerprint,
      tier: s.tier,
      confidence: s.confidence,
      safety: s.safety,
      why: s.why,
      provenance: s.provenance,
      ...where,
      createdAt: at,
    };
  }
  const ids = Object.keys(all);
  if (ids.length > MAX_PROPOSALS) {
    ids.sort((a, b) => (all[a].createdAt < all[b].createdAt ? -1 : 1));
    for (const id of ids.slice(0, ids.length - MAX_PROPOSALS)) delete all[id];
  }
  proposals.set(data, all);
}

/** Finds a proposal by id or unique id prefix. */
export function findProposal(data: StoreData, id: string): Proposal | undefined {
  const all = proposals.get(data);
  if (all[id]) return all[id];
  const matches = Object.keys(all).filter((k) => k.startsWith(id));
  return matches.length === 1 ? all[matches[0]] : undefined;
}

/** Proposals for one failure that can be applied (not advice), newest and most confident first. */
export function applicableProposals(data: StoreData, fingerprint: string): Proposal[] {
  return Object.values(proposals.get(data))
    .filter((p) => p.fingerprint === fingerprint && p.fix.kind !== 'advice')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.confidence - a.confidence));
}
