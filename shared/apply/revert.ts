// Reverting an application by hand (or after an interrupted apply): restore the backup, record the revert.
import type { LocalStore } from '../store/localStore';
import { breakerSection, recordRevert, systemClock, type Clock } from '../learn/circuitBreaker';
import { recordOutcome } from '../learn/outcome';
import { applications, findApplication, isInFlight, isInterrupted, saveApplication, type Application } from './applications';
import { readBackup, restoreBackup } from './backup';
import { removeStaleTemps } from './atomicFile';
import { findProposal } from './proposals';

export class RevertError extends Error {
  override name = 'RevertError';
}

export async function revertApplication(store: LocalStore, id: string, clock: Clock = systemClock): Promise<Application> {
  const data = await store.read();
  const app = findApplication(data, id);
  if (!app) throw new RevertError(`No apply with id ${id} (see heal status).`);
  if (app.state === 'reverted') throw new RevertError(`Apply ${app.id} was already reverted${app.reason ? ` (${app.reason})` : ''}.`);
  if (isInFlight(app) && !isInterrupted(app)) throw new RevertError(`Apply ${app.id} is still running (process ${app.pid}); wait for it to finish.`);
  // A missing manifest means the apply died before its backup was complete, i.e. before any file was changed.
  const manifest = await readBackup(store.backupsDir, app.id);
  if (manifest) await restoreBackup(store.backupsDir, manifest);
  for (const file of app.files) await removeStaleTemps(file);
  const at = new Date(clock()).toISOString();
  return store.update((fresh) => {
    const current = applications.get(fresh)[app.id] ?? app;
    const reverted: Application = { ...current, state: 'reverted', endedAt: at, reason: manifest ? `reverted by request (was ${isInterrupted(current) ? 'interrupted' : current.state})` : 'the apply was interrupted before any file changed; nothing to restore' };
    saveApplication(fresh, reverted);
    const breaker = breakerSection.get(fresh);
    recordRevert(breaker, clock());
    breakerSection.set(fresh, breaker);
    const proposal = findProposal(fresh, app.fixId);
    if (proposal && manifest) recordOutcome(fresh, app.fingerprint, proposal.fix, 'reverted', at);
    return reverted;
  });
}
