// Failures that leave no application or run behind, kept so a diagnostic report can be about them: a fix Heal's
// own checks refused (validation: safety, preconditions, the circuit breaker) and Heal's own unexpected exceptions
// (crash). A small bounded section of the store; messages are scrubbed when a report is built from them.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { findProposal } from '../apply/proposals';
import type { LocalStore } from '../store/localStore';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';

export const MAX_INCIDENTS = 20;
const MAX_MESSAGE = 1000;
const MAX_DETAIL = 4000;

const incident = z.object({
  kind: z.enum(['validation', 'crash']),
  at: z.string(),
  tool: z.string(),
  category: z.string(),
  fingerprint: z.string(),
  message: z.string(),
  commandLine: z.string().optional(),
  /** Validation: the refused fix; crash: the stack. */
  detail: z.string().optional(),
});
export type Incident = z.infer<typeof incident>;

export const incidentSection = defineSection('incidents', z.array(incident), () => []);

/** Refusals that are Heal's checks saying no (not the user's choice, a typo or an untrusted workspace). */
export const VALIDATION_REFUSALS: readonly string[] = [
  'dangerous',
  'precondition',
  'breaker',
  'quarantined',
  'interrupted',
];

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);

export function addIncident(data: StoreData, item: Incident): void {
  const clipped = {
    ...item,
    message: clip(item.message, MAX_MESSAGE),
    ...(item.detail !== undefined ? { detail: clip(item.detail, MAX_DETAIL) } : {}),
  };
  incidentSection.set(data, [...incidentSection.get(data), clipped].slice(-MAX_INCIDENTS));
}

/** The latest incident, if any. */
export function lastIncident(data: StoreData): Incident | undefined {
  return [...incidentSection.get(data)].sort((a, b) => a.at.localeCompare(b.at)).pop();
}

/** Records a refused apply when Heal's checks refused it (other refusals are not failures); never throws. */
export async function recordRefusal(
  store: LocalStore,
  fixId: string,
  refusal: { code: string; message: string },
  at = new Date().toISOString(),
): Promise<boolean> {
  if (!VALIDATION_REFUSALS.includes(refusal.code)) return false;
  try {
    await store.update((data) => {
      const proposal = findProposal(data, fixId);
      const pattern = proposal?.fingerprint ? data.patterns[proposal.fingerprint] : undefined;
      addIncident(data, {
        kind: 'validation',
        at,
        tool: pattern?.tool ?? 'unknown',
        category: pattern?.category ?? 'unknown',
        fingerprint: proposal?.fingerprint ?? 'none',
        message: `${proposal ? `${proposal.fix.description}: ` : ''}${refusal.message}`,
        commandLine: proposal?.commandLine,
        detail: proposal
          ? (proposal.fix.command ?? (proposal.fix.edits ?? []).map((e) => e.file).join('\n'))
          : undefined,
      });
    });
    return true;
  } catch {
    return false;
  }
}

/** A stable identity for a crash: its kind, its message without numbers or paths, and the functions it came from. */
export function crashFingerprint(error: Error): string {
  const message = error.message.replace(/(?:[A-Za-z]:)?[\\/][^\s'"`)]*/g, '<path>').replace(/\d+/g, '<n>');
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 3)
    .map((l) =>
      l
        .trim()
        .replace(/\s*\(.*\)$/, '')
        .replace(/:\d+:\d+$/, ''),
    )
    .map((l) => (/[\\/]/.test(l) ? 'at <anonymous>' : l));
  return createHash('sha256')
    .update([error.name, message, ...frames].join('\n'))
    .digest('hex')
    .slice(0, 16);
}

export function crashIncident(thrown: unknown, where: string, at = new Date().toISOString()): Incident {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const name = /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(error.name) ? error.name : 'Error';
  return {
    kind: 'crash',
    at,
    tool: 'heal',
    category: name,
    fingerprint: crashFingerprint(error),
    message: `${where}: ${name}: ${error.message}`,
    commandLine: where,
    detail: error.stack,
  };
}

/**
 * Records one of Heal's own unexpected exceptions; best effort and bounded in time (the process is failing already),
 * and only into a store that exists (a crash does not create a store in a directory Heal never used).
 */
export async function recordCrash(
  store: LocalStore,
  thrown: unknown,
  where: string,
  timeoutMs = 1000,
): Promise<boolean> {
  try {
    if (!(await stat(store.file).catch(() => undefined))) return false;
    const item = crashIncident(thrown, where);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
      timer.unref?.();
    });
    const recorded = store.update((data) => addIncident(data, item)).then(() => true as const);
    const done = await Promise.race([recorded, gaveUp]).catch(() => false);
    clearTimeout(timer);
    return done;
  } catch {
    return false;
  }
}
