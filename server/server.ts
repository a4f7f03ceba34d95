// Heal language server: runs the engine on captured output, publishes diagnostics on the files the errors
// name, offers quick fixes, and applies them through the engine's apply → verify → revert.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type TextEdit,
} from 'vscode-languageserver/node';
import { normalizeText, type OutputRecord } from '../shared/capture';
import type { ErrorEvent } from '../shared/detect/detector';
import { linkCauses } from '../shared/detect/causality';
import { scanText } from '../shared/detect/scanner';
import { LocalPatternSource } from '../shared/lookup/localPatternSource';
import { lookupRun } from '../shared/lookup/lookup';
import type { Suggestion } from '../shared/lookup/suggestion';
import { recordProposals, withBaseHashes } from '../shared/apply/proposals';
import { applyFix, ApplyRefused, prepareApply } from '../shared/apply/apply';
import type { KnownContent } from '../shared/apply/backup';
import { LocalStore } from '../shared/store/localStore';
import { ignore, unquarantine, UnknownPatternError } from '../shared/learn/quarantine';
import { localChecks, remoteCheck, sharedMemoryCheck } from '../shared/doctor/doctor';
import { breakerSection, breakerView } from '../shared/learn/circuitBreaker';
import { flakyPatterns } from '../shared/learn/flakiness';
import { acceptOffer, healFixed, keepOffer, noteFailure, offerFor, snapshot } from '../shared/learn/userFixes';
import { emptyStore, type Pattern, type StoreData } from '../shared/store/schema';
import { computeMetrics } from '../shared/metrics/metrics';
import { backfill, findLogs } from '../shared/backfill/backfill';
import { loadConfig } from '../shared/config';
import { parseContact } from '../shared/report/consent';
import { lastFailure } from '../shared/report/lastFailure';
import { recordCrash, recordRefusal } from '../shared/report/incidents';
import {
  fileReport,
  flushQueue,
  markAnnounced,
  refreshStatuses,
  unannouncedResolutions,
} from '../shared/report/outbox';
import { buildReport, serializeReport, type DiagnosticReport } from '../shared/report/report';
import { httpSink, type ReportSink } from '../shared/report/sink';
import { knownEdges, openPatterns, recordRun } from '../shared/store/patterns';
import { OutputArchive, type ArchivedOutput } from './outputArchive';
import { ServerSharedMemory } from './sharedMemory';
import { checkAutoApply } from '../shared/validate/autoApplyCheck';
import { remoteReportSink } from '../shared/remote/reportSink';
import {
  ApplyFixCommand,
  VerifyEditCommand,
  SaveDocumentsRequest,
  BackfillRequest,
  ReportRequest,
  ResolvedReportsRequest,
  BreakerRequest,
  DoctorRequest,
  IgnoreRequest,
  IssuesChangedNotification,
  IssuesRequest,
  MetricsRequest,
  OutputNotification,
  OutputSummaryRequest,
  SettingsNotification,
  UnquarantineRequest,
  VirtualDocumentRequest,
  type HealSettings,
  type Occurrence,
  type InitializationOptions,
  type IssueItem,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const shared = new ServerSharedMemory();
let store: LocalStore | undefined;
let settings: HealSettings = { enabled: true, autoApply: 'off', verifyTimeoutSeconds: 120, trusted: true };
let workspaceRoot = process.cwd();

/** Diagnostics currently published, per URI, with the command that produced them (cleared when it passes). */
const published = new Map<string, Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>>();
/** What this session saw of each issue: bounded, most recent last (a Map keeps insertion order). */
interface SessionIssue {
  /** The latest message seen (identifiers in it may differ between occurrences of one pattern). */
  message?: string;
  suggestions: Suggestion[];
  occurrences: Occurrence[];
  causedBy?: string;
  file?: string;
  cwd?: string;
}
const MAX_SESSION_ISSUES = 500;
const MAX_OCCURRENCES = 10;
const session = new Map<string, SessionIssue>();
const outputs = new OutputArchive();
let version = '';

function sessionIssue(fingerprint: string): SessionIssue {
  const found = session.get(fingerprint) ?? { suggestions: [], occurrences: [] };
  session.delete(fingerprint);
  session.set(fingerprint, found);
  for (const key of session.keys()) {
    if (session.size <= MAX_SESSION_ISSUES) break;
    session.delete(key);
  }
  return found;
}

const topSuggestion = (fingerprint: string) => session.get(fingerprint)?.suggestions[0];
const explainUri = (fingerprint: string) => `heal-explain:/${fingerprint}.md`;

connection.onInitialize((params) => {
  const init = params.initializationOptions as InitializationOptions | undefined;
  store = new LocalStore(init?.storeDir ?? path.join(process.cwd(), '.heal'));
  if (init?.settings) settings = init.settings;
  useTerminalPath(settings);
  version = init?.version ?? '';
  const folder = params.workspaceFolders?.[0]?.uri;
  if (folder) workspaceRoot = new URL(folder).pathname;
  shared.configure(store, settings, workspaceRoot);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.None,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
      executeCommandProvider: { commands: [ApplyFixCommand, VerifyEditCommand] },
    },
    serverInfo: { name: 'heal' },
  };
});

/** Commands Heal runs (fixes, verification re-runs) find what the user's terminal finds. */
function useTerminalPath(s: HealSettings): void {
  if (s.terminalPath) process.env.PATH = s.terminalPath;
}

connection.onNotification(SettingsNotification.type, (s) => {
  settings = s;
  useTerminalPath(s);
  if (store) shared.configure(store, settings, workspaceRoot);
});

function uriOf(file: string, cwd: string): string | undefined {
  const abs = path.isAbsolute(file) ? file : path.resolve(cwd, file);
  return existsSync(abs) ? pathToFileURL(abs).toString() : undefined;
}

function diagnosticOf(
  e: ErrorEvent,
  top: Suggestion | undefined,
  root: ErrorEvent | undefined,
  rootUri: string | undefined,
  output: ArchivedOutput,
): Diagnostic {
  const line = Math.max(0, (e.line ?? 1) - 1);
  const col = Math.max(0, (e.column ?? 1) - 1);
  const at = (uri: string, l: number) => ({
    uri,
    range: { start: { line: l, character: 0 }, end: { line: l, character: 1000 } },
  });
  const captured = outputs.locate(output, e.startLine);
  const relatedInformation: DiagnosticRelatedInformation[] = [
    {
      location: at(captured.uri, captured.line),
      message: `Output of ${output.commandLine ? `\`${output.commandLine}\`` : 'the command'}`,
    },
  ];
  if (root) {
    const rootAt =
      rootUri && root.line
        ? at(rootUri, root.line - 1)
        : ((r) => at(r.uri, r.line))(outputs.locate(output, root.startLine));
    relatedInformation.unshift({ location: rootAt, message: `Root cause: ${root.message}` });
  }
  return {
    range: {
      start: { line, character: col },
      end: { line, character: e.column ? col + Math.max(1, (e.data?.name ?? e.data?.module ?? '').length) : 1000 },
    },
    severity:
      e.severity === 'error'
        ? DiagnosticSeverity.Error
        : e.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information,
    source: 'Heal',
    code: e.fingerprint.slice(0, 8),
    codeDescription: { href: explainUri(e.fingerprint) },
    message: `${e.message}${root ? `\n(caused by: ${root.message})` : ''}${top ? `\nSuggested: ${top.fix.description}` : ''}`,
    relatedInformation,
    data: { fingerprint: e.fingerprint },
  };
}

async function handleOutput(record: OutputRecord): Promise<string[]> {
  if (!store || !settings.enabled) return [];
  const cwd = record.cwd ?? workspaceRoot;
  const text = normalizeText(record.text);
  const { events } = scanText(text, { context: { commandLine: record.commandLine, cwd, exitCode: record.exitCode } });
  // Cause → effect edges learned in earlier runs; a plain read (writes are atomic renames), no lock.
  const before = await store.read();
  linkCauses(events, knownEdges(before));
  const output = events.length ? outputs.add(text, record.commandLine, record.endedAt) : undefined;
  for (const e of events) {
    const issue = sessionIssue(e.fingerprint);
    issue.message = e.message;
    issue.causedBy = e.causedBy;
    issue.cwd = cwd;
    if (e.file) issue.file = path.resolve(cwd, e.file);
    issue.occurrences = [
      ...issue.occurrences,
      {
        at: record.endedAt,
        commandLine: record.commandLine ?? null,
        output: output ? outputs.locate(output, e.startLine) : null,
      },
    ].slice(-MAX_OCCURRENCES);
  }
  // A passing run of a command clears what that command reported before.
  if (record.commandLine) {
    for (const [uri, entries] of published) {
      const kept = entries.filter((x) => x.command !== record.commandLine);
      if (kept.length !== entries.length) publish(uri, kept);
    }
  }
  // Diagnostics first; what the run teaches is persisted after, in one write.
  let suggestions: Suggestion[] = [];
  const failed = record.exitCode !== 0 || events.some((e) => e.severity === 'error');
  const team = await shared.get();
  if (failed && output) {
    const sources = [new LocalPatternSource(store), ...(team ? [team.remote] : [])];
    const found = await lookupRun(events, {
      command: record.commandLine,
      output: text,
      exitCode: record.exitCode,
      cwd,
      sources,
      workspaceRoot,
      flaky: flakyPatterns(
        before,
        events.map((e) => e.fingerprint),
      ),
    });
    suggestions = found.map((s) => withBaseHashes(s, cwd));
    for (const e of events)
      sessionIssue(e.fingerprint).suggestions = suggestions.filter(
        (s) => s.fingerprint === e.fingerprint || !s.fingerprint,
      );
    const byUri = new Map<string, Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>>();
    for (const e of events) {
      if (!e.file) continue;
      const uri = uriOf(e.file, cwd);
      if (!uri) continue;
      const root = e.causedBy ? events.find((x) => x.fingerprint === e.causedBy) : undefined;
      const rootUri = root?.file ? uriOf(root.file, cwd) : undefined;
      const entry = {
        diagnostic: diagnosticOf(e, topSuggestion(e.fingerprint), root, rootUri, output),
        command: record.commandLine,
        fingerprint: e.fingerprint,
      };
      byUri.set(uri, [...(byUri.get(uri) ?? []), entry]);
    }
    for (const [uri, entries] of byUri) {
      // The same error at the same place, reported again by any command, replaces the older diagnostic.
      const key = (x: { fingerprint: string; diagnostic: Diagnostic }) =>
        `${x.fingerprint}@${x.diagnostic.range.start.line}:${x.diagnostic.range.start.character}`;
      const fresh = new Set(entries.map(key));
      publish(uri, [
        ...(published.get(uri) ?? []).filter((x) => x.command !== record.commandLine && !fresh.has(key(x))),
        ...entries,
      ]);
    }
    const fileless = events.filter((e) => !e.file && e.severity === 'error' && !e.causedBy);
    if (fileless.length) {
      const top = topSuggestion(fileless[0].fingerprint);
      const action = top && top.fix.kind !== 'advice' ? { title: 'Apply fix' } : undefined;
      void connection.window
        .showWarningMessage(
          `Heal: ${fileless[0].message}${top ? ` — suggested: ${top.fix.description}` : ''}`,
          ...(action ? [action] : []),
        )
        .then(async (chosen) => {
          if (chosen && top) await applyFromEditor(top.fix.id);
        });
    }
  }
  const errors = [...new Set(events.filter((e) => e.severity === 'error').map((e) => e.fingerprint))];
  const snap = record.commandLine && record.exitCode !== 0 && errors.length ? await snapshot(cwd) : undefined;
  await store.update((data) => {
    const run = recordRun(data, events, {
      source: record.source,
      commandLine: record.commandLine,
      cwd,
      exitCode: record.exitCode,
    });
    team?.queueRun(data, events, run.at);
    if (suggestions.some((s) => s.fix.kind !== 'advice'))
      recordProposals(data, suggestions, { commandLine: record.commandLine, cwd });
    if (snap && record.commandLine)
      noteFailure(data, {
        commandLine: record.commandLine,
        cwd,
        snapshot: snap,
        fingerprints: errors,
        at: record.endedAt,
      });
  });
  void connection.sendNotification(IssuesChangedNotification.type);
  if (team && events.length) shared.sync();
  if (failed && settings.autoApply === 'safe' && suggestions.length) void autoApplyFromEditor(suggestions, cwd);
  if (record.commandLine && record.exitCode === 0) void offerUserFix(record.commandLine, cwd);
  return summary(events, suggestions);
}

/** The run's failures grouped by root cause, each with its best fix: what a task prints when it ends. */
function summary(events: ErrorEvent[], suggestions: Suggestion[]): string[] {
  const roots = [
    ...new Map(events.filter((e) => e.severity === 'error' && !e.causedBy).map((e) => [e.fingerprint, e])).values(),
  ];
  if (!roots.length) return [];
  const lines = [
    `Heal: ${roots.length} root cause(s) of ${events.filter((e) => e.severity === 'error').length} error(s)`,
  ];
  for (const root of roots) {
    const followers = events.filter((e) => e.causedBy === root.fingerprint).length;
    const fix = suggestions.find((s) => s.fingerprint === root.fingerprint);
    lines.push(
      `  ✗ ${root.message.split('\n')[0]}${root.file ? `  (${root.file}${root.line ? `:${root.line}` : ''})` : ''}${followers ? ` — causes ${followers} more` : ''}`,
    );
    if (fix)
      lines.push(
        `    → ${fix.fix.description}${fix.fix.kind === 'advice' ? '' : ' (quick fix in the editor, or Heal: Apply Fix in the Issues view)'}`,
      );
  }
  return lines;
}

/** A command that failed passes now after the user's own edits: offer to remember the change (never silently). */
async function offerUserFix(commandLine: string, cwd: string): Promise<void> {
  if (!store) return;
  const data = await store.read();
  const offer = await offerFor(data, commandLine, cwd, healFixed(data));
  if (!offer) return;
  await store.update((d) => keepOffer(d, offer));
  const choice = await connection.window.showInformationMessage(
    `Heal: \`${commandLine}\` passes now, after your changes. Remember them as the fix for this failure?`,
    { title: 'Remember' },
    { title: 'Not now' },
  );
  if (choice?.title === 'Remember') {
    await store.update((d) => acceptOffer(d, offer));
    void connection.window.showInformationMessage(
      'Heal: remembered; next time this failure gets your fix as its first suggestion.',
    );
  }
}

function publish(uri: string, entries: Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>): void {
  if (entries.length) published.set(uri, entries);
  else published.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: entries.map((x) => x.diagnostic) });
}

/** Records are handled one at a time, in arrival order: bounded memory, and no contention for the store lock. */
let queue: Promise<void> = Promise.resolve();
function enqueue(record: OutputRecord): Promise<string[]> {
  const handled = queue.then(() => handleOutput(record));
  queue = handled.then(
    () => undefined,
    (e) => {
      connection.console.error(`heal: ${(e as Error).message}`);
      if (store) void recordCrash(store, e, 'language server'); // Heal's own failure: a report can be about it
    },
  );
  return handled.catch(() => []);
}

connection.onNotification(OutputNotification.type, (record) => void enqueue(record));
connection.onRequest(OutputSummaryRequest.type, (record) => enqueue(record));

connection.onCodeAction((params) => {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'Heal') continue;
    const fingerprint = (d.data as { fingerprint?: string } | undefined)?.fingerprint;
    const suggestions = (fingerprint && session.get(fingerprint)?.suggestions) || [];
    suggestions
      .filter((s) => s.fix.kind !== 'advice')
      .slice(0, 3)
      .forEach((s, i) => {
        actions.push({
          title: `Heal: ${s.fix.description}${s.safety === 'safe' ? '' : ` (${s.safety})`}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: i === 0,
          data: { fixId: s.fix.id },
        });
      });
  }
  return actions;
});

/** File contents taken when a quick fix's edits were computed, until its verification runs (bounded). */
const originals = new Map<string, KnownContent[]>();

connection.onCodeActionResolve(async (action) => {
  const fixId = (action.data as { fixId: string }).fixId;
  action.command = { title: action.title, command: ApplyFixCommand, arguments: [fixId] };
  if (!store || !settings.trusted) return action; // the command explains the refusal
  await queue;
  // An edit fix becomes a workspace edit (previewable, undoable in the editor) followed by verification.
  const prepared = await prepareApply(store, fixId, settings.trusted).catch(() => undefined);
  if (!prepared || prepared.proposal.fix.kind !== 'edit') return action;
  const byFile = new Map<string, TextEdit[]>();
  for (const e of prepared.proposal.fix.edits ?? []) {
    const file = path.resolve(prepared.root, e.file);
    byFile.set(file, [...(byFile.get(file) ?? []), { range: e.range, newText: e.newText }]);
  }
  const taken: KnownContent[] = [];
  for (const file of byFile.keys()) {
    const [content, info] = await Promise.all([readFile(file), stat(file)]).catch(() => [undefined, undefined]);
    if (!content || !info) return action;
    taken.push({ path: file, content, mode: info.mode & 0o7777 });
  }
  originals.set(fixId, taken);
  for (const key of originals.keys()) if (originals.size > 50) originals.delete(key);
  action.edit = {
    changes: Object.fromEntries([...byFile].map(([file, edits]) => [pathToFileURL(file).toString(), edits])),
  };
  action.command = { title: action.title, command: VerifyEditCommand, arguments: [fixId] };
  return action;
});

connection.onExecuteCommand(async (params) => {
  const fixId = String(params.arguments?.[0] ?? '');
  if (params.command === ApplyFixCommand) return applyFromEditor(fixId);
  if (params.command === VerifyEditCommand) {
    const taken = originals.get(fixId);
    originals.delete(fixId);
    if (!taken) return applyFromEditor(fixId);
    // Verification re-runs the command on the files on disk: the editor saves its edits first.
    await connection
      .sendRequest(SaveDocumentsRequest.type, { uris: taken.map((t) => pathToFileURL(t.path).toString()) })
      .catch(() => false);
    return applyFromEditor(fixId, taken);
  }
});

/** `heal.autoApply: safe`: the run's best fix is applied without asking only when the policy allows it. */
async function autoApplyFromEditor(suggestions: Suggestion[], cwd: string): Promise<void> {
  if (!store) return;
  const check = checkAutoApply(
    await store.read(),
    suggestions,
    { autoApply: settings.autoApply },
    { trusted: settings.trusted, cwd },
  );
  if (!check) return;
  if (!check.allowed) {
    connection.console.log(`Heal: fix ${check.top.fix.id} not applied automatically: ${check.reasons.join('; ')}`);
    return;
  }
  await applyFromEditor(check.top.fix.id, undefined, true);
}

/** Applies a proposed fix for the editor: refused in untrusted workspaces; diagnostics cleared when verified. */
async function applyFromEditor(
  fixId: string,
  editedFrom?: KnownContent[],
  auto = false,
): Promise<{ ok: boolean; message: string } | undefined> {
  if (!store) return undefined;
  await queue; // the proposal is persisted after its diagnostics are published
  if (!settings.trusted) {
    void connection.window.showErrorMessage(
      'Heal: this workspace is not trusted, so fixes are not applied. Trust the workspace to apply fixes.',
    );
    return { ok: false, message: 'untrusted' };
  }
  const team = await shared.get();
  const refusal = await team?.teamBreakerRefusal();
  if (refusal) {
    void connection.window.showErrorMessage(`Heal: not applied: ${refusal}.`);
    return { ok: false, message: refusal };
  }
  try {
    const result = await applyFix({
      store,
      fixId,
      trusted: settings.trusted,
      yes: true,
      auto,
      verifyTimeoutMs: settings.verifyTimeoutSeconds * 1000,
      ...(editedFrom ? { editedBy: { originals: editedFrom } } : {}),
    });
    if (team) void team.noteApply(result.application.state).then(() => shared.sync());
    const verified = result.application.state === 'verified' || result.application.state === 'applied';
    if (verified && result.application.fingerprint) {
      for (const [uri, entries] of published)
        publish(
          uri,
          entries.filter((x) => x.fingerprint !== result.application.fingerprint),
        );
    }
    const why =
      result.application.state === 'verified' || !result.application.reason ? '' : ` (${result.application.reason})`;
    void connection.window.showInformationMessage(
      `Heal: ${auto ? 'applied automatically: ' : ''}${result.application.description} — ${result.application.state}${why}`,
    );
    void connection.sendNotification(IssuesChangedNotification.type);
    return { ok: verified, message: result.application.state };
  } catch (e) {
    if (e instanceof ApplyRefused) void recordRefusal(store, fixId, e); // a refusal by Heal's checks is reportable
    void connection.window.showErrorMessage(`Heal: ${(e as Error).message}`);
    return { ok: false, message: (e as Error).message };
  }
}

/** Where each fingerprint's latest run happened, from the store's run log (for issues from earlier sessions). */
function lastCwds(data: StoreData): Map<string, string> {
  const cwds = new Map<string, string>();
  for (let i = data.runs.length - 1; i >= 0; i--) {
    const run = data.runs[i];
    if (run.cwd) for (const f of run.fingerprints) if (!cwds.has(f)) cwds.set(f, run.cwd);
  }
  return cwds;
}

const inside = (p: string, folder: string) => {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

function issueItem(p: Pattern, cwd: string | undefined, flaky: boolean): IssueItem {
  const seen = session.get(p.fingerprint);
  const top = seen?.suggestions.find((s) => s.fix.kind !== 'advice');
  const file = seen?.file ?? (p.file ? path.resolve(cwd ?? workspaceRoot, p.file) : undefined);
  const older: Occurrence[] = p.history.slice(-MAX_OCCURRENCES).map((at) => ({ at, commandLine: null, output: null }));
  const occurrences = seen?.occurrences.length ? seen.occurrences : older;
  return {
    fingerprint: p.fingerprint,
    tool: p.tool,
    category: p.category,
    message: seen?.message ?? p.examples[0] ?? p.message,
    count: p.counts.seen,
    lastSeen: p.lastSeen,
    file: file ?? null,
    line: p.line ?? null,
    quarantined: p.quarantined,
    flaky,
    cwd: seen?.cwd ?? cwd ?? null,
    causedBy: seen?.causedBy ?? null,
    occurrences: [...occurrences].reverse(),
    topFix: top ? { id: top.fix.id, description: top.fix.description, safety: top.safety } : null,
  };
}

connection.onRequest(IssuesRequest.type, async (params): Promise<IssueItem[]> => {
  const folders = params?.folders;
  await queue; // answer with every record received so far taken into account
  if (!store) return [];
  const data = await store.read();
  const cwds = lastCwds(data);
  const open = openPatterns(data);
  const flaky = flakyPatterns(
    data,
    open.map((p) => p.fingerprint),
  );
  const items = open.map((p) => issueItem(p, cwds.get(p.fingerprint), flaky.has(p.fingerprint)));
  if (!folders?.length) return items;
  return items.filter((i) => {
    const where = i.cwd ?? i.file;
    return !where || folders.some((f) => inside(where, f) || (i.file !== null && inside(i.file, f)));
  });
});

/** Changes a remembered pattern (ignore, unquarantine); false when there is no such pattern. */
async function changePattern(
  fingerprint: string,
  change: (data: StoreData, fingerprint: string) => unknown,
): Promise<boolean> {
  if (!store) return false;
  await queue;
  const ok = await store
    .update((data) => Boolean(change(data, fingerprint)))
    .catch((e) => {
      if (e instanceof UnknownPatternError) return false;
      throw e;
    });
  void connection.sendNotification(IssuesChangedNotification.type);
  return ok;
}

connection.onRequest(IgnoreRequest.type, async ({ fingerprint }) => {
  const ok = await changePattern(fingerprint, ignore);
  for (const [uri, entries] of published)
    publish(
      uri,
      entries.filter((x) => x.fingerprint !== fingerprint),
    );
  return ok;
});

/** What Heal knows about an issue, as Markdown: shown by Explain and behind each diagnostic's code link. */
async function explain(fingerprint: string): Promise<string> {
  await queue; // a diagnostic can link here before its record is persisted
  const p = store ? (await store.read()).patterns[fingerprint] : undefined;
  if (!p) return `No pattern ${fingerprint}.`;
  const seen = session.get(fingerprint);
  const lines = [
    `# ${p.tool}/${p.category}${p.quarantined ? ' (quarantined)' : ''}${p.ignored ? ' (ignored)' : ''}`,
    '',
    '```',
    p.examples[0] ?? p.message,
    '```',
    '',
    `Fingerprint \`${p.fingerprint}\`; seen ${p.counts.seen} time(s), first ${p.firstSeen}, last ${p.lastSeen}.`,
    `Fixes verified ${p.counts.fixed}, reverted or failed ${p.counts.failed}${p.lastOutcome ? `, last: ${p.lastOutcome}` : ''}.`,
  ];
  if (p.commands.length) lines.push('', 'Seen with:', ...p.commands.map((c) => `- \`${c}\``));
  if (seen?.suggestions.length) {
    lines.push('', '## Suggestions');
    for (const s of seen.suggestions)
      lines.push(
        `- **${s.fix.description}** — ${s.why} (${s.tier}, ${Math.round(s.confidence * 100)}% confidence, ${s.safety})`,
      );
  }
  return lines.join('\n');
}

connection.onRequest(VirtualDocumentRequest.type, async ({ uri }) => {
  if (uri.startsWith('heal-explain:/')) return explain(uri.slice('heal-explain:/'.length).replace(/\.md$/, ''));
  return outputs.resolve(uri)?.text ?? null;
});

/** The report last previewed: Send sends exactly it. */
let previewed: { key: string; report: DiagnosticReport } | undefined;

async function reportSink(endpoint?: string): Promise<ReportSink | undefined> {
  const url =
    endpoint ||
    (await loadConfig().catch(() => ({}) as { 'report.endpoint'?: string }))['report.endpoint'] ||
    process.env.HEAL_REPORT_URL;
  if (url) return httpSink(url);
  const team = await shared.get();
  return team ? remoteReportSink(team.remote) : undefined;
}

connection.onRequest(ReportRequest.type, async ({ consent, contact, endpoint, send }) => {
  if (!store) return { ok: false, message: 'Heal is not ready.' };
  await queue;
  const input = lastFailure(await store.read());
  if (!input) return { ok: false, message: 'No failure recorded yet: there is nothing to report.' };
  let who;
  try {
    who = parseContact(contact);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const key = `${consent}\0${contact}\0${input.failure.fingerprint}`;
  const report = previewed?.key === key ? previewed.report : buildReport({ ...input, heal: version }, consent, who);
  previewed = { key, report };
  const body = serializeReport(report);
  if (!send) return { ok: true, body, message: `${Buffer.byteLength(body)} bytes` };
  if (!settings.trusted)
    return { ok: false, body, message: 'This workspace is not trusted; Heal sends no reports from it.' };
  let sink;
  try {
    sink = await reportSink(endpoint);
  } catch (e) {
    return { ok: false, body, message: (e as Error).message };
  }
  if (!sink)
    return {
      ok: false,
      body,
      message: 'No report endpoint configured (heal config set report.endpoint https://…); nothing was sent.',
    };
  try {
    const result = await fileReport(store, sink, report, { budgetMs: 2000 });
    previewed = undefined;
    return {
      ok: true,
      body,
      result,
      message:
        result === 'sent'
          ? `Sent to ${sink.describe}; Heal will tell you when it is resolved.`
          : `${sink.describe} is unreachable; the report is queued and sent later.`,
    };
  } catch (e) {
    return { ok: false, body, message: (e as Error).message };
  }
});

connection.onRequest(ResolvedReportsRequest.type, async () => {
  if (!store) return [];
  const resolved = unannouncedResolutions(await store.read());
  if (resolved.length)
    await store.update((data) =>
      markAnnounced(
        data,
        resolved.map((r) => r.id),
      ),
    );
  return resolved.map((r) => ({ summary: r.summary, note: r.note }));
});

/** In the background after start: send queued reports, refresh the status of open ones. */
async function reportHousekeeping(): Promise<void> {
  const sink = await reportSink().catch(() => undefined);
  if (!store || !sink) return;
  await flushQueue(store, sink).catch(() => undefined);
  await refreshStatuses(store, sink).catch(() => undefined);
}

connection.onInitialized(() => {
  setTimeout(() => void reportHousekeeping(), 5000).unref();
});

connection.onRequest(BackfillRequest.type, async ({ folders }) => {
  if (!store || !folders.length) return { files: 0, bytes: 0, events: 0 };
  const result = await backfill(store, await findLogs(folders, { includeNpmLogs: false }));
  void connection.sendNotification(IssuesChangedNotification.type);
  return {
    files: result.files.filter((f) => f.outcome !== 'unchanged').length,
    bytes: result.bytes,
    events: result.events,
  };
});

connection.onRequest(MetricsRequest.type, async ({ days }) => {
  await queue;
  return computeMetrics(store ? await store.read() : emptyStore(), { days });
});

connection.onRequest(BreakerRequest.type, async () => {
  if (!store) return { state: 'closed' as const };
  const { state, reopensAt } = breakerView(breakerSection.get(await store.read()), Date.now());
  return { state, reopensAt };
});

connection.onRequest(UnquarantineRequest.type, ({ fingerprint }) => changePattern(fingerprint, unquarantine));

connection.onRequest(DoctorRequest.type, async ({ remote }) => {
  if (!store) return [];
  if (!remote) return localChecks({ storeDir: store.dir, version });
  const team = await shared.get();
  return [
    team ? await sharedMemoryCheck(team) : await remoteCheck(settings.remoteUrl || undefined, 3000, shared.problem),
  ];
});

connection.listen();
