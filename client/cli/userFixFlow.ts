// `heal run` and the user's own fixes: note the work tree when a command fails; when it passes later after the
// user changed files, offer to remember the change as the fix — asked on a terminal, never done silently.
import {
  acceptOffer,
  healFixed,
  keepOffer,
  noteFailure,
  offerFor,
  snapshot,
  type LearnOffer,
} from '../../shared/learn/userFixes';
import type { LocalStore } from '../../shared/store/localStore';
import { interactive } from './applyFlow';
import type { Output } from './output';

export async function afterRun(
  store: LocalStore,
  out: Output,
  run: { commandLine: string; cwd: string; exitCode: number; fingerprints: string[]; at: string },
): Promise<LearnOffer | undefined> {
  if (run.exitCode !== 0) {
    if (!run.fingerprints.length) return undefined;
    const snap = await snapshot(run.cwd);
    if (snap)
      await store.update((data) =>
        noteFailure(data, {
          commandLine: run.commandLine,
          cwd: run.cwd,
          snapshot: snap,
          fingerprints: run.fingerprints,
          at: run.at,
        }),
      );
    return undefined;
  }
  const data = await store.read();
  const offer = await offerFor(data, run.commandLine, run.cwd, healFixed(data));
  if (!offer) return undefined;
  await store.update((d) => keepOffer(d, offer));
  const what = offer.fingerprints.map((f) => data.patterns[f]?.examples[0] ?? f).join('; ');
  if (interactive() && !out.json) {
    process.stderr.write(
      `\nheal: \`${run.commandLine}\` passes now, after you changed files. The change:\n${offer.diff}\n`,
    );
    const { confirm } = await import('@inquirer/prompts');
    if (await confirm({ message: `Remember this change as the fix for: ${what}?`, default: false })) {
      await store.update((d) => acceptOffer(d, offer));
      out.line(out.green(`heal: remembered; next time this failure gets your fix as its first suggestion.`));
    } else out.line(out.dim(`heal: not remembered (heal learn ${offer.id} if you change your mind).`));
  } else if (!out.json) {
    out.line(
      `heal: \`${run.commandLine}\` passes now, after you changed files. To remember the change as the fix for ${what}: heal learn ${offer.id} (see it first with heal learn ${offer.id} --show)`,
    );
  }
  return offer;
}
