// Causality within one run: marks followers of a root cause with `causedBy`.
import type { ErrorEvent } from './detector';

/**
 * Groups a run's events into cascades. The first error of a tool family in a run is the root of the later
 * errors of the same coarse kind; an install failure is the root of later "module not found" errors.
 */
export function linkCauses(events: ErrorEvent[]): void {
  const firstOfKind = new Map<string, ErrorEvent>();
  let installFailure: ErrorEvent | undefined;
  for (const event of events) {
    if (event.severity !== 'error') continue;
    if (event.category === 'install-failed') installFailure ??= event;
    if (installFailure && installFailure !== event && event.category === 'module-not-found') {
      event.causedBy = installFailure.fingerprint;
      continue;
    }
    const key = `${event.tool}\0${event.coarseFingerprint}`;
    const root = firstOfKind.get(key);
    if (root && root !== event && root.fingerprint !== event.fingerprint) event.causedBy = root.fingerprint;
    else if (!root) firstOfKind.set(key, event);
  }
}
