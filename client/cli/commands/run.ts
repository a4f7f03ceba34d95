import type { Command } from 'commander';
import { runCommand } from '../../../shared/runCommand';
import { normalizeText } from '../../../shared/capture';
import { linkCauses } from '../../../shared/detect/causality';
import { knownEdges, recordRun } from '../../../shared/store/patterns';
import { flakyPatterns } from '../../../shared/learn/flakiness';
import type { CliEnv } from '../main';
import { CliError } from '../output';
import { eventToJson } from '../eventJson';
import { printFindings } from '../findings';
import { printSuggestion, suggestAndRemember, suggestionToJson } from '../suggestions';
import { autoApplyTop } from '../applyFlow';
import { afterRun } from '../userFixFlow';
import { reportHousekeeping } from '../reportHousekeeping';
import { exitCodeFor, parseFailOn, writeCiOutputs, type CiOptions } from '../ciOutputs';
import { VERSION } from '../version';

export function register(program: Command, env: CliEnv): void {
  program
    .command('run')
    .description(
      "run a command, pass its output through unchanged, recognise failures and exit with the command's own code",
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--ci', 'CI mode: GitHub Actions annotations and a job summary in $GITHUB_STEP_SUMMARY (on when CI=true)')
    .option('--sarif <file>', 'write the failures as SARIF 2.1.0')
    .option(
      '--fail-on <policy>',
      "exit code from the failures instead of the command's: new (never-seen or unrecognised failures), any, none",
    )
    .allowUnknownOption()
    .action(async (argv: string[], options: CiOptions) => {
      const out = env.output();
      if (argv.length === 0) throw new CliError('heal run: give a command after --, e.g. heal run -- npm test');
      const failOn = parseFailOn(options.failOn);
      const ci = options.ci ?? process.env.CI === 'true';
      // The shared memory opens and its cache warms while the command runs, never before it.
      const sharedReady = env.enabled ? env.shared.get() : Promise.resolve(undefined);
      void sharedReady.then((s) => s?.warmInBackground().catch(() => undefined));
      const result = await runCommand(argv, {
        cwd: process.cwd(),
        stdout: out.json ? process.stderr : process.stdout,
        stderr: process.stderr,
        detect: env.enabled,
      });
      process.exitCode = result.exitCode;
      if (!env.enabled) return;
      const at = new Date(result.startedAt).toISOString();
      const known = new Set<string>();
      const shared = await sharedReady;
      await env.store().update((data) => {
        for (const fp of Object.keys(data.patterns)) known.add(fp);
        linkCauses(result.events, knownEdges(data));
        recordRun(
          data,
          result.events,
          {
            source: 'terminal',
            commandLine: result.commandLine,
            cwd: process.cwd(),
            exitCode: result.exitCode,
            durationMs: result.durationMs,
          },
          at,
        );
        shared?.queueRun(data, result.events, at);
      });
      const failed = result.exitCode !== 0 || result.events.some((e) => e.severity === 'error');
      const learnOffer = await afterRun(env.store(), env.output(process.stderr), {
        commandLine: result.commandLine,
        cwd: process.cwd(),
        exitCode: result.exitCode,
        fingerprints: [...new Set(result.events.filter((e) => e.severity === 'error').map((e) => e.fingerprint))],
        at,
      });
      const suggestions = failed
        ? await suggestAndRemember(
            env.store(),
            {
              events: result.events,
              command: result.commandLine,
              output: normalizeText(result.output),
              exitCode: result.exitCode,
              cwd: process.cwd(),
            },
            10,
            shared?.remote,
          )
        : [];
      const autoApplied = await autoApplyTop(env, env.output(process.stderr), suggestions);
      const flaky = new Set(
        flakyPatterns(
          await env.store().read(),
          result.events.map((e) => e.fingerprint),
        ).keys(),
      );
      await writeCiOutputs({
        ci,
        sarif: options.sarif,
        version: VERSION,
        command: result.commandLine,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        events: result.events,
        suggestions,
        known,
        flaky,
        annotations: out.json ? process.stderr : process.stdout,
      });
      process.exitCode = exitCodeFor(failOn, result.exitCode, result.events, known);
      if (out.json) {
        out.printJson({
          command: result.commandLine,
          exitCode: result.exitCode,
          durationMs: result.durationMs,
          events: result.events.map((e) => eventToJson(e)),
          suggestions: suggestions.map(suggestionToJson),
          ...(autoApplied ? { autoApplied } : {}),
          ...(learnOffer
            ? { learnOffer: { id: learnOffer.id, fingerprints: learnOffer.fingerprints, fix: learnOffer.fix } }
            : {}),
        });
      } else if (failed) {
        const err = env.output(process.stderr);
        process.stderr.write('\n');
        printFindings(err, result.events, result.exitCode, suggestions);
        if (suggestions[0]) printSuggestion(err, suggestions[0]);
      }
      await env.shared.sync();
      await reportHousekeeping(env.store(), env.output(process.stderr), env.shared);
    });
}
