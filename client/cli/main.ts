// `heal`: the headless CLI. Uses only the engine (shared/).
import { Command, CommanderError } from 'commander';
import { LocalStore } from '../../shared/store/localStore';
import { StoreError } from '../../shared/store/errors';
import { recordCrash } from '../../shared/report/incidents';
import { CliError, ExitCode, Output, type GlobalOptions } from './output';
import { VERSION } from './version';
import { register as registerScan } from './commands/scan';
import { register as registerRun } from './commands/run';
import { register as registerStatus } from './commands/status';
import { register as registerFingerprint } from './commands/fingerprint';
import { register as registerSuggest } from './commands/suggest';
import { register as registerExplain } from './commands/explain';
import { register as registerRedact } from './commands/redact';
import { register as registerDoctor } from './commands/doctor';
import { register as registerApply } from './commands/apply';
import { register as registerRevert } from './commands/revert';
import { register as registerIgnore } from './commands/ignore';
import { register as registerUnquarantine } from './commands/unquarantine';
import { register as registerExport } from './commands/export';
import { register as registerImport } from './commands/import';
import { register as registerIssues } from './commands/issues';
import { register as registerMetrics } from './commands/metrics';
import { register as registerBackfill } from './commands/backfill';
import { register as registerLearn } from './commands/learn';
import { register as registerReport } from './commands/report';
import { register as registerConfig } from './commands/config';
import { register as registerSync } from './commands/sync';
import { CliSharedMemory } from './sharedMemory';

/** What every command gets: global options, output, the store, and whether Heal is enabled. */
export interface CliEnv {
  options(): GlobalOptions;
  output(stream?: NodeJS.WriteStream): Output;
  store(): LocalStore;
  /** The team's shared memory (opened on first use, only when configured). */
  readonly shared: CliSharedMemory;
  readonly enabled: boolean;
}

export function buildProgram(): { program: Command; env: CliEnv } {
  const program = new Command('heal');
  let store: LocalStore | undefined;
  const env: CliEnv = {
    options: () => program.opts<GlobalOptions>(),
    output: (stream) => new Output(program.opts<GlobalOptions>(), stream ?? process.stdout),
    store: () => (store ??= LocalStore.at({ store: program.opts<GlobalOptions>().store })),
    shared: new CliSharedMemory(
      () => env.store(),
      () => env.output(process.stderr),
    ),
    get enabled() {
      return program.opts<GlobalOptions>().heal !== false && process.env.HEAL_DISABLE !== '1';
    },
  };
  program
    .description('Heal: recognise failing commands, remember them, suggest and apply safe fixes')
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable output (a stable, documented shape)')
    .option('-q, --quiet', 'print only what matters (errors, results)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('--store <dir>', 'store directory (default: $HEAL_STORE or ./.heal)')
    .option('--no-heal', 'disable Heal (also HEAL_DISABLE=1): `run` passes the command through untouched')
    .showHelpAfterError('(run heal --help for usage)')
    .exitOverride();
  program.hook('preAction', (_this, action) => {
    if (!env.enabled && action.name() !== 'run') {
      throw new CliError('heal: disabled (--no-heal or HEAL_DISABLE=1); nothing done.', ExitCode.disabled);
    }
  });
  for (const register of [
    registerScan,
    registerRun,
    registerStatus,
    registerFingerprint,
    registerSuggest,
    registerExplain,
    registerApply,
    registerRevert,
    registerIgnore,
    registerUnquarantine,
    registerExport,
    registerImport,
    registerIssues,
    registerMetrics,
    registerBackfill,
    registerLearn,
    registerReport,
    registerConfig,
    registerSync,
    registerRedact,
    registerDoctor,
  ])
    register(program, env);
  return { program, env };
}

export async function main(argv: string[]): Promise<number> {
  const { program, env } = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return ExitCode.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof StoreError) {
      process.stderr.write(`heal: ${e.message}\n`);
      return ExitCode.store;
    }
    process.stderr.write(`heal: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    // Heal's own failure: kept (bounded, best effort) so `heal report` can be about it.
    const command = /^[a-z-]{1,20}$/.test(program.args[0] ?? '') ? `heal ${program.args[0]}` : 'heal';
    if (
      await Promise.resolve()
        .then(() => recordCrash(env.store(), e, command))
        .catch(() => false)
    )
      process.stderr.write('heal: this is a bug in Heal; `heal report` files a report about it (you see it first).\n');
    return 70;
  } finally {
    await env.shared.close().catch(() => undefined);
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
