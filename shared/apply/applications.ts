// The record of every apply, persisted before anything is touched, so an interrupted apply is found afterwards.
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineSection } from '../store/section';
import type { StoreData } from '../store/schema';

export const MAX_APPLICATIONS = 200;

export const applicationStates = ['applying', 'verifying', 'verified', 'applied', 'reverted', 'interrupted'] as const;
export type ApplicationState = (typeof applicationStates)[number];

export const applicationSchema = z.object({
  id: z.string(),
  fixId: z.string(),
  fingerprint: z.string().optional(),
  kind: z.string(),
  description: z.string(),
  commandLine: z.string().optional(),
  cwd: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  state: z.enum(applicationStates),
  /** The process doing the apply, to tell a running apply from an interrupted one. */
  pid: z.number().int(),
  host: z.string(),
  /** Files backed up (absolute). */
  files: z.array(z.string()),
  /** Why it ended as it did (failed verification, revert reason…). */
  reason: z.string().optional(),
  /** Tail of the fix command's or the verification run's output. */
  output: z.string().optional(),
  /** Applied by Heal itself (auto-apply), not on the user's request. */
  auto: z.boolean().optional(),
  /**
   * What each backed-up path held right after the change (see backup.fileState: `sha256:…`, `link:…`, `dir`, or
   * null when absent), so a revert can tell the user's later edits from Heal's own.
   */
  after: z.record(z.string(), z.string().nullable()).optional(),
});
export type Application = z.infer<typeof applicationSchema>;

export const applications = defineSection('applications', z.record(z.string(), applicationSchema), () => ({}));

export function saveApplication(data: StoreData, app: Application): void {
  const all = applications.get(data);
  all[app.id] = app;
  const ids = Object.keys(all);
  if (ids.length > MAX_APPLICATIONS) {
    const finished = ids
      .filter((id) => !isInFlight(all[id]))
      .sort((a, b) => (all[a].startedAt < all[b].startedAt ? -1 : 1));
    for (const id of finished.slice(0, ids.length - MAX_APPLICATIONS)) delete all[id];
  }
  applications.set(data, all);
}

export function isInFlight(app: Application): boolean {
  return app.state === 'applying' || app.state === 'verifying';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An apply that was under way when its process died (kill -9, crash, power loss). */
export function isInterrupted(app: Application, alive: (pid: number) => boolean = processAlive): boolean {
  if (app.state === 'interrupted') return true;
  return isInFlight(app) && app.host === hostname() && !alive(app.pid);
}

export function interruptedApplications(data: StoreData): Application[] {
  return Object.values(applications.get(data)).filter((a) => isInterrupted(a));
}

/** The application with this id or unique id prefix. */
export function findApplication(data: StoreData, id: string): Application | undefined {
  const all = applications.get(data);
  if (all[id]) return all[id];
  const matches = Object.keys(all).filter((k) => k.startsWith(id));
  return matches.length === 1 ? all[matches[0]] : undefined;
}

export function newApplicationBase(): Pick<Application, 'pid' | 'host'> {
  return { pid: process.pid, host: hostname() };
}

export const HOT_FILE_CHANGES = 3;
const HOUR_MS = 60 * 60_000;

/** Files Heal changed at least 3 times within the last hour: automatic fixes leave them alone. */
export function hotFiles(data: StoreData, now: number): Set<string> {
  const counts = new Map<string, number>();
  for (const app of Object.values(applications.get(data))) {
    if (now - Date.parse(app.startedAt) >= HOUR_MS || app.kind !== 'edit') continue;
    for (const f of app.files) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= HOT_FILE_CHANGES).map(([f]) => f));
}
