// Reverting an application by hand (or after an interrupted apply): restore the backup, record the revert.
// Files changed since the apply (the user's later edits) are not overwritten unless the user forces it.
import * as path from 'node:path';
import type { LocalStore } from '../store/localStore';
import { breakerSection, recordRevert, systemClock, type Clock } from '../learn/circuitBreaker';
import { recordOutcome } from '../learn/outcome';
import {
  applications,
  findApplication,
  isInFlight,
  isInterrupted,
  saveApplication,
  type Application,
} from './applications';
import { fileState, readBackup, restoreBackup, type BackupEntry, type BackupManifest } from './backup';
import { removeStaleTemps } from './atomicFile';
import { findProposal } from './proposals';

export type RevertRefusal = 'unknown-apply' | 'already-reverted' | 'running' | 'changed-since';

export class RevertError extends Error {
  override name = 'RevertError';
  constructor(
    message: string,
    readonly code: RevertRefusal,
    /** For `changed-since`: the files changed after the apply (absolute). */
    readonly files: string[] = [],
  ) {
    super(message);
  }
}

export interface RevertOptions {
  /** Restore even files changed since the apply (their later changes are lost). */
  force?: boolean;
}

const originalState = (e: BackupEntry): string | null =>
  !e.existed ? null : e.symlink !== undefined ? `link:${e.symlink}` : `sha256:${e.sha256}`;

/** Backed-up files whose content now is neither what the apply left nor what was there before it. */
export async function changedSinceApply(app: Application, manifest: BackupManifest): Promise<string[]> {
  if (!app.after) return []; // Interrupted before the change was recorded: each file is old or new.
  const changed: string[] = [];
  for (const entry of manifest.entries) {
    const after = app.after[entry.path];
    if (after === undefined) continue;
    const now = await fileState(entry.path).catch(() => 'unreadable');
    if (now !== after && now !== originalState(entry)) changed.push(entry.path);
  }
  return changed;
}

export async function revertApplication(
  store: LocalStore,
  id: string,
  clock: Clock = systemClock,
  options: RevertOptions = {},
): Promise<Application> {
  const data = await store.read();
  const app = findApplication(data, id);
  if (!app) throw new RevertError(`No apply with id ${id} (see heal status).`, 'unknown-apply');
  if (app.state === 'reverted')
    throw new RevertError(
      `Apply ${app.id} was already reverted${app.reason ? ` (${app.reason})` : ''}.`,
      'already-reverted',
    );
  if (isInFlight(app) && !isInterrupted(app))
    throw new RevertError(`Apply ${app.id} is still running (process ${app.pid}); wait for it to finish.`, 'running');
  // A missing manifest means the apply died before its backup was complete, i.e. before any file was changed.
  const manifest = await readBackup(store.backupsDir, app.id);
  if (manifest && !options.force) {
    const changed = await changedSinceApply(app, manifest);
    if (changed.length) {
      const names = changed.map((f) => path.relative(app.cwd, f) || f).join(', ');
      throw new RevertError(
        `Refused: ${names} changed since apply ${app.id}; reverting would overwrite those changes. Nothing was restored. Pass --force to revert anyway (the later changes are lost).`,
        'changed-since',
        changed,
      );
    }
  }
  if (manifest) await restoreBackup(store.backupsDir, manifest);
  for (const file of app.files) await removeStaleTemps(file);
  const at = new Date(clock()).toISOString();
  return store.update((fresh) => {
    const current = applications.get(fresh)[app.id] ?? app;
    const reverted: Application = {
      ...current,
      state: 'reverted',
      endedAt: at,
      reason: manifest
        ? `reverted by request (was ${isInterrupted(current) ? 'interrupted' : current.state})`
        : 'the apply was interrupted before any file changed; nothing to restore',
    };
    saveApplication(fresh, reverted);
    const breaker = breakerSection.get(fresh);
    recordRevert(breaker, clock());
    breakerSection.set(fresh, breaker);
    const proposal = findProposal(fresh, app.fixId);
    if (proposal && manifest) recordOutcome(fresh, app.fingerprint, proposal.fix, 'reverted', at);
    // The fix is undone, so the failure it resolved is open again (heal status lists it).
    const pattern = app.fingerprint ? fresh.patterns[app.fingerprint] : undefined;
    if (pattern && manifest && (current.state === 'verified' || current.state === 'applied')) delete pattern.resolvedAt;
    return reverted;
  });
}
