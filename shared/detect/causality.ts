// Causality within one run: group events into cascades, mark the root cause, point followers at it.
import type { ErrorEvent } from './detector';
import { Category } from './categories';

/** Errors that typically cause others after them: in the same file, or (for installs) anywhere in the run. */
const ROOT_CATEGORIES = new Set<string>([
  Category.moduleNotFound,
  Category.missingTypes,
  Category.syntax,
  Category.indentation,
  Category.installFailed,
  Category.packageNotFound,
]);
/** Independent by nature: each lint finding or failing test stands on its own. */
const INDEPENDENT = new Set<string>([Category.lint, Category.testFailure, Category.fixtureNotFound, 'unused']);

/** Learned cause → effect pairs (fingerprints), from earlier runs. */
export type KnownEdges = ReadonlyMap<string, ReadonlySet<string>>;

export function linkCauses(events: ErrorEvent[], known?: KnownEdges): void {
  const errors = events.filter((e) => e.severity === 'error');
  const present = new Map(errors.map((e) => [e.fingerprint, e]));
  const rootByFile = new Map<string, ErrorEvent>();
  const firstOfKind = new Map<string, ErrorEvent>();
  let runRoot: ErrorEvent | undefined;
  for (const event of errors) {
    if (event.causedBy) continue;
    // 1. What earlier runs taught us.
    const causes = known?.get(event.fingerprint);
    const learned = causes && [...causes].find((c) => c !== event.fingerprint && present.has(c));
    if (learned) {
      event.causedBy = learned;
      continue;
    }
    // 2. A failed install or missing package explains later missing modules anywhere in the run.
    if (
      runRoot &&
      runRoot !== event &&
      (event.category === Category.moduleNotFound || event.category === Category.missingTypes) &&
      (runRoot.category === Category.installFailed || runRoot.category === Category.packageNotFound)
    ) {
      event.causedBy = runRoot.fingerprint;
      continue;
    }
    // 3. A missing import or syntax error explains later errors in the same file.
    const fileRoot = event.file ? rootByFile.get(`${event.tool}\0${event.file}`) : undefined;
    if (fileRoot && fileRoot !== event && !INDEPENDENT.has(event.category)) {
      event.causedBy = fileRoot.fingerprint;
      continue;
    }
    // 4. Repeats of the same kind of error follow the first one.
    const kind = `${event.tool}\0${event.coarseFingerprint}`;
    const first = firstOfKind.get(kind);
    if (first && first.fingerprint !== event.fingerprint && !INDEPENDENT.has(event.category)) {
      event.causedBy = first.fingerprint;
      continue;
    }
    if (!first) firstOfKind.set(kind, event);
    if (ROOT_CATEGORIES.has(event.category)) {
      if (event.file) rootByFile.set(`${event.tool}\0${event.file}`, event);
      if (event.category === Category.installFailed || event.category === Category.packageNotFound) runRoot ??= event;
    }
  }
}
