import type { Command } from 'commander';
import { acceptOffer, dropOffer, findOffer, userFixSection } from '../../../shared/learn/userFixes';
import type { CliEnv } from '../main';
import { CliError, ExitCode, table } from '../output';

export function register(program: Command, env: CliEnv): void {
  program
    .command('learn')
    .description(
      'remember a change you made as the fix for the failures it fixed (offered by heal run when a failed command passes after your edits)',
    )
    .argument('[id]', 'the offer id heal run printed; without it, list the offers')
    .option('--show', 'print the change (scrubbed diff) and do nothing else')
    .option('--drop', 'forget the offer')
    .action(async (id: string | undefined, options: { show?: boolean; drop?: boolean }) => {
      const out = env.output();
      const store = env.store();
      const data = await store.read();
      if (!id) {
        const offers = userFixSection.get(data).offers;
        if (out.json)
          out.printJson({
            offers: offers.map((o) => ({
              id: o.id,
              command: o.commandLine,
              cwd: o.cwd,
              fingerprints: o.fingerprints,
              fix: o.fix,
              at: o.at,
            })),
          });
        else
          out.line(
            offers.length
              ? table(
                  offers.map((o) => [o.id, o.at.slice(0, 16).replace('T', ' '), o.commandLine, o.fix.description]),
                  ['ID', 'OFFERED', 'COMMAND', 'CHANGE'],
                )
              : 'No changes waiting to be remembered.',
          );
        return;
      }
      const offer = findOffer(data, id);
      if (!offer) throw new CliError(`heal learn: no offer ${id}; heal learn lists them`, ExitCode.findings);
      if (options.show) {
        if (out.json) out.printJson(offer);
        else process.stdout.write(offer.diff);
        return;
      }
      if (options.drop) {
        await store.update((d) => dropOffer(d, offer.id));
        out.line(`heal: offer ${offer.id} forgotten.`);
        return;
      }
      await store.update((d) => acceptOffer(d, offer));
      if (out.json) out.printJson({ learned: offer.id, fingerprints: offer.fingerprints, fix: offer.fix });
      else
        out.line(
          out.green(
            `heal: remembered "${offer.fix.description}" as the fix for ${offer.fingerprints.length} failure(s); it is their first suggestion from now on.`,
          ),
        );
    });
}
