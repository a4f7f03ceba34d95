// Apply a proposed fix: validate, back up, change files atomically (or run the command), verify by re-running,
// and revert byte-identically when verification fails. Every step is recorded before it happens.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Fix, TextEdit } from '../fix';
import { runCommand } from '../runCommand';
import type { LocalStore } from '../store/localStore';
import {
  breakerSection,
  recordRevert,
  recordSuccess,
  requestAttempt,
  systemClock,
  type Clock,
} from '../learn/circuitBreaker';
import { recordOutcome } from '../learn/outcome';
import { checkPreconditions } from '../validate/preconditions';
import { classifyFix, commandWriteTargets, type SafetyVerdict } from '../validate/safety';
import { isUnverifiedImport, markVerifiedHere } from '../learn/exchange';
import { replaceFileAtomic, resolveLinks } from './atomicFile';
import { createBackup, fileState, pruneBackups, restoreBackup, sha256Hex, type KnownContent } from './backup';
import {
  applications,
  interruptedApplications,
  newApplicationBase,
  saveApplication,
  type Application,
} from './applications';
import { findProposal, type Proposal } from './proposals';
import { applyTextEdits } from './textEdits';
import { verifyByRerun, type Verification } from './verify';

/** Files a command fix may change that Heal backs up and restores (its other effects, e.g. node_modules, stay). */
export const MANIFEST_FILES = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'requirements.txt',
  'pyproject.toml',
  'poetry.lock',
  'Pipfile',
  'Pipfile.lock',
  'Cargo.toml',
  'Cargo.lock',
  'go.mod',
  'go.sum',
  'Gemfile',
  'Gemfile.lock',
  'composer.json',
  'composer.lock',
];

export const DEFAULT_FIX_COMMAND_TIMEOUT_MS = 300_000;

export type RefusalCode =
  | 'unknown-fix'
  | 'advice'
  | 'dangerous'
  | 'untrusted'
  | 'quarantined'
  | 'precondition'
  | 'not-confirmed'
  | 'breaker'
  | 'interrupted'
  | 'unverified-import';

/** Heal declined to apply, for a reason the user can act on. */
export class ApplyRefused extends Error {
  override name = 'ApplyRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ApplyOptions {
  store: LocalStore;
  fixId: string;
  /** Whether the workspace is trusted (an untrusted one never gets fixes applied). */
  trusted: boolean;
  /** Fixes classified `review` need this, or `confirm` to say yes. */
  yes?: boolean;
  /**
   * The user explicitly accepts a fix classified `dangerous` (`heal apply --allow-dangerous`). Never honoured
   * together with `auto`: Heal never applies a dangerous fix by itself.
   */
  allowDangerous?: boolean;
  confirm?: (proposal: Proposal, verdict: SafetyVerdict) => Promise<boolean>;
  /** Re-run the failed command afterwards (default true when the command is known). */
  verify?: boolean;
  verifyTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Where the fix command's and the re-run's output go (default: nowhere). */
  output?: NodeJS.WritableStream;
  clock?: Clock;
  /** Heal applies this by itself (auto-apply), not on the user's request; recorded for the metrics. */
  auto?: boolean;
  /**
   * The editor already made the fix's edits (a code action's workspace edit, undoable there); Heal backs up the
   * contents taken before, then verifies and reverts as usual. Preconditions were checked before the edit.
   */
  editedBy?: { originals: KnownContent[] };
  /** Called after each step, so callers can report progress. */
  onStep?: (step: 'backed-up' | 'changed' | 'verifying', app: Application) => void;
}

export interface ApplyResult {
  application: Application;
  verification?: Verification;
  verdict: SafetyVerdict;
}

export interface PreparedApply {
  proposal: Proposal;
  verdict: SafetyVerdict;
  /** Workspace root for scope checks: where the failing command ran. */
  root: string;
}

function editsByFile(fix: Fix, root: string): Map<string, TextEdit[]> {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits ?? []) {
    const file = path.resolve(root, e.file);
    byFile.set(file, [...(byFile.get(file) ?? []), e]);
  }
  return byFile;
}

/** Finds and validates a fix without changing anything: the checks `apply` and `--dry-run` share. */
export async function prepareApply(
  store: LocalStore,
  fixId: string,
  trusted: boolean,
  options: { preconditions?: boolean; allowDangerous?: boolean } = {},
): Promise<PreparedApply> {
  const data = await store.read();
  const proposal = findProposal(data, fixId);
  if (!proposal)
    throw new ApplyRefused(
      'unknown-fix',
      `No proposed fix with id ${fixId}. Fix ids are shown by \`heal run\` and \`heal suggest\`.`,
    );
  const root = proposal.cwd;
  if (proposal.fix.kind === 'advice')
    throw new ApplyRefused(
      'advice',
      `Fix ${proposal.fix.id} is advice only; there is nothing to apply: ${proposal.fix.description}`,
    );
  const verdict = classifyFix(proposal.fix, root);
  if (verdict.safety === 'dangerous' && !options.allowDangerous)
    throw new ApplyRefused(
      'dangerous',
      `Refused: fix ${proposal.fix.id} is dangerous (${verdict.reasons.join('; ')}). Only if you are sure: heal apply ${proposal.fix.id} --allow-dangerous.`,
    );
  if (!trusted)
    throw new ApplyRefused(
      'untrusted',
      'Refused: the workspace is not trusted, so Heal applies no fixes and runs no commands here.',
    );
  const pattern = proposal.fingerprint ? data.patterns[proposal.fingerprint] : undefined;
  if (pattern?.quarantined)
    throw new ApplyRefused(
      'quarantined',
      `Refused: the pattern ${pattern.fingerprint} is quarantined after ${pattern.counts.failed} failed fixes; \`heal unquarantine ${pattern.fingerprint}\` to allow it again.`,
    );
  const interrupted = interruptedApplications(data).find((a) => a.cwd === root);
  if (interrupted)
    throw new ApplyRefused(
      'interrupted',
      `Refused: apply ${interrupted.id} in this folder was interrupted; run \`heal revert ${interrupted.id}\` first.`,
    );
  const stale = options.preconditions === false ? [] : await checkPreconditions(proposal.fix, root);
  if (stale.length)
    throw new ApplyRefused(
      'precondition',
      `Refused: ${stale.map((s) => `${s.file}: ${s.reason}`).join('; ')}. Re-run the command to get a fresh fix.`,
    );
  return { proposal, verdict, root };
}

/** What the fix would do: a unified diff for edits, the command line otherwise. */
export async function describeChange(prepared: PreparedApply): Promise<string> {
  const { fix } = prepared.proposal;
  if (fix.kind !== 'edit')
    return `${fix.kind === 'replace' ? 'run instead' : 'run'}: ${fix.command ?? ''} (in ${prepared.root})`;
  const parts: string[] = [];
  for (const [file, edits] of editsByFile(fix, prepared.root)) {
    const before = await readFile(file, 'utf8').catch(() => '');
    const rel = path.relative(prepared.root, file);
    parts.push(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, applyTextEdits(before, edits, rel)));
  }
  return parts.join('');
}

/**
 * Computes every file's new content first (a bad edit or a changed file stops before anything is written), then
 * writes them one by one; `written` collects the files changed so far (for a partial undo).
 */
async function changeFiles(fix: Fix, root: string, written: Set<string>): Promise<void> {
  const planned: Array<{ file: string; content: string; mode: number }> = [];
  for (const [file, edits] of editsByFile(fix, root)) {
    const rel = path.relative(root, file);
    const before = await readFile(file).catch(() => undefined);
    const expected = edits[0].baseHash;
    if ((before === undefined) !== (expected === undefined) || (before && expected && sha256Hex(before) !== expected)) {
      throw new ApplyRefused('precondition', `${rel} changed while the fix was being applied; it was not touched.`);
    }
    const mode = before ? (await stat(file)).mode & 0o7777 : 0o644;
    planned.push({ file, content: applyTextEdits(before?.toString('utf8') ?? '', edits, rel), mode });
  }
  for (const { file, content, mode } of planned) {
    // Checked again right before writing: the user may have saved the file meanwhile.
    const now = await readFile(file).catch(() => undefined);
    const expected = fix.edits?.find((e) => path.resolve(root, e.file) === file)?.baseHash;
    if (expected !== undefined && (!now || sha256Hex(now) !== expected))
      throw new ApplyRefused(
        'precondition',
        `${path.relative(root, file)} changed while the fix was being applied; it was not touched.`,
      );
    // Through a symbolic link, the file it points at changes and the link stays.
    const target = await resolveLinks(file);
    written.add(file);
    written.add(target);
    await replaceFileAtomic(target, content, mode);
  }
}

/** What an apply backs up: the edited files, or for a command the package manifests and the files it names. */
export function backupTargets(fix: Fix, root: string): string[] {
  if (fix.kind === 'edit') return [...editsByFile(fix, root).keys()];
  const named = fix.command ? commandWriteTargets(fix.command, { workspaceRoot: root }) : [];
  return [...new Set([...MANIFEST_FILES.map((f) => path.join(root, f)), ...named])];
}

/** What each backed-up path holds now (see fileState), recorded after the change. */
async function statesOf(files: string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const f of files) out[f] = await fileState(f).catch(() => null);
  return out;
}

/** Validates, backs up, applies, verifies, and reverts on failure; learning and the breaker are updated. */
export async function applyFix(options: ApplyOptions): Promise<ApplyResult> {
  const clock = options.clock ?? systemClock;
  const { store } = options;
  const edited = options.editedBy?.originals;
  const prepared = await prepareApply(store, options.fixId, options.trusted, {
    preconditions: !edited,
    allowDangerous: options.allowDangerous && !options.auto,
  });
  const { proposal, verdict, root } = prepared;
  const fix = proposal.fix;
  if (options.auto && isUnverifiedImport(await store.read(), fix.id)) {
    throw new ApplyRefused(
      'unverified-import',
      `Refused to apply fix ${fix.id} automatically: it was imported (heal import) and has not been verified in this workspace yet; apply it once with heal apply ${fix.id}.`,
    );
  }
  // A dangerous fix the user allowed still needs a yes, like one that needs review.
  if (verdict.safety !== 'safe' && !options.yes) {
    const ok = options.confirm ? await options.confirm(proposal, verdict) : false;
    if (!ok)
      throw new ApplyRefused(
        'not-confirmed',
        `Fix ${fix.id} needs confirmation (${verdict.reasons.join('; ')}); pass --yes to apply it.`,
      );
  }

  const app: Application = {
    id: `${new Date(clock()).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
    fixId: fix.id,
    fingerprint: proposal.fingerprint,
    kind: fix.kind,
    description: fix.description,
    commandLine: proposal.commandLine,
    cwd: root,
    startedAt: new Date(clock()).toISOString(),
    state: 'applying',
    ...newApplicationBase(),
    files: edited ? edited.map((o) => o.path) : backupTargets(fix, root),
    ...(options.auto ? { auto: true } : {}),
  };
  await store
    .update((data) => {
      const breaker = breakerSection.get(data);
      const permission = requestAttempt(breaker, clock());
      if (!permission.allowed) throw new ApplyRefused('breaker', `Refused: ${permission.reason}.`);
      breakerSection.set(data, breaker);
      saveApplication(data, app);
      return new Set(Object.keys(applications.get(data)));
    })
    .then((kept) => pruneBackups(store.backupsDir, kept));

  const finish = async (
    state: Application['state'],
    reason: string,
    outcome?: 'verified' | 'reverted',
    output?: string,
  ) => {
    Object.assign(app, { state, reason, endedAt: new Date(clock()).toISOString(), output });
    await store.update((data) => {
      saveApplication(data, app);
      const breaker = breakerSection.get(data);
      if (outcome === 'verified') recordSuccess(breaker, clock());
      if (outcome === 'reverted') recordRevert(breaker, clock());
      breakerSection.set(data, breaker);
      if (outcome) recordOutcome(data, proposal.fingerprint, fix, outcome, app.endedAt!);
      if (outcome === 'verified') markVerifiedHere(data, fix.id);
    });
  };
  let manifest: Awaited<ReturnType<typeof createBackup>>;
  try {
    manifest = await createBackup(store.backupsDir, app.id, edited ?? app.files, app.startedAt);
  } catch (e) {
    // Nothing was changed yet: the apply ends here, without blaming the fix.
    await finish('reverted', `nothing was changed: the backup failed (${(e as Error).message})`);
    throw e;
  }
  options.onStep?.('backed-up', app);
  const undo = async (reason: string, output?: string, learn = true) => {
    // A refused edit restores only what Heal wrote, so a file the user saved meanwhile is left alone.
    await restoreBackup(store.backupsDir, manifest, learn ? undefined : written);
    await finish('reverted', reason, learn ? 'reverted' : undefined, output);
  };
  const written = new Set<string>();

  let commandOutput: string | undefined;
  try {
    if (edited) for (const o of edited) written.add(o.path);
    else if (fix.kind === 'edit') await changeFiles(fix, root, written);
    else {
      const ran = await runCommand([fix.command ?? ''], {
        cwd: root,
        timeoutMs: options.commandTimeoutMs ?? DEFAULT_FIX_COMMAND_TIMEOUT_MS,
        stdout: options.output,
        stderr: options.output,
        detect: false,
        captureLimitBytes: 16 * 1024,
      });
      commandOutput = ran.output.slice(-4000);
      if (ran.timedOut || ran.exitCode !== 0) {
        await undo(
          ran.timedOut
            ? `the fix command \`${fix.command}\` timed out`
            : `the fix command \`${fix.command}\` failed (exit ${ran.exitCode})`,
          commandOutput,
        );
        return { application: app, verdict };
      }
    }
  } catch (e) {
    // A refusal (the user changed a file meanwhile) says nothing about the fix: no learning, no breaker.
    await undo(`applying failed: ${(e as Error).message}`, undefined, !(e instanceof ApplyRefused));
    if (e instanceof ApplyRefused) throw e;
    throw new Error(`Applying fix ${fix.id} failed and was reverted: ${(e as Error).message}`, { cause: e });
  }
  // What every backed-up path holds now: a later revert refuses to overwrite what changed after this.
  app.after = await statesOf(manifest.entries.map((e) => e.path));
  await store.update((data) => saveApplication(data, app));
  options.onStep?.('changed', app);

  // A replacement command line is its own verification: it ran and exited 0.
  const rerun = fix.kind === 'replace' ? undefined : proposal.commandLine;
  if (options.verify === false || !rerun) {
    await finish(
      fix.kind === 'replace' ? 'verified' : 'applied',
      fix.kind === 'replace' ? `\`${fix.command}\` succeeded` : 'applied without verification (no command to re-run)',
      fix.kind === 'replace' ? 'verified' : undefined,
      commandOutput,
    );
    return { application: app, verdict };
  }
  app.state = 'verifying';
  await store.update((data) => saveApplication(data, app));
  options.onStep?.('verifying', app);
  const verification = await verifyByRerun(rerun, root, proposal.fingerprint, {
    timeoutMs: options.verifyTimeoutMs,
    output: options.output,
  });
  if (verification.ok) await finish('verified', verification.reason, 'verified', verification.output);
  else await undo(`verification failed: ${verification.reason}; the fix was reverted`, verification.output);
  return { application: app, verification, verdict };
}
