// Heal language server: runs the engine on captured output, publishes diagnostics on the files the errors
// name, offers quick fixes, and applies them through the engine's apply → verify → revert.
import { existsSync } from 'node:fs';
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
} from 'vscode-languageserver/node';
import { normalizeText, type OutputRecord } from '../shared/capture';
import type { ErrorEvent } from '../shared/detect/detector';
import { linkCauses } from '../shared/detect/causality';
import { scanText } from '../shared/detect/scanner';
import { LocalPatternSource } from '../shared/lookup/localPatternSource';
import { lookupRun } from '../shared/lookup/lookup';
import type { Suggestion } from '../shared/lookup/suggestion';
import { recordProposals, withBaseHashes } from '../shared/apply/proposals';
import { applyFix } from '../shared/apply/apply';
import { LocalStore } from '../shared/store/localStore';
import { ignore, UnknownPatternError } from '../shared/learn/quarantine';
import { knownEdges, openPatterns, recordRun } from '../shared/store/patterns';
import {
  ApplyFixCommand,
  ExplainRequest,
  IgnoreRequest,
  IssuesChangedNotification,
  IssuesRequest,
  OutputNotification,
  SettingsNotification,
  type HealSettings,
  type InitializationOptions,
  type IssueItem,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
let store: LocalStore | undefined;
let settings: HealSettings = { enabled: true, autoApply: 'off', verifyTimeoutSeconds: 120, trusted: true };
let workspaceRoot = process.cwd();

/** Diagnostics currently published, per URI, with the command that produced them (cleared when it passes). */
const published = new Map<string, Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>>();
/** Suggestions per fingerprint, for code actions. */
const suggestionsByFingerprint = new Map<string, Suggestion[]>();

connection.onInitialize((params) => {
  const init = params.initializationOptions as InitializationOptions | undefined;
  store = new LocalStore(init?.storeDir ?? path.join(process.cwd(), '.heal'));
  if (init?.settings) settings = init.settings;
  const folder = params.workspaceFolders?.[0]?.uri;
  if (folder) workspaceRoot = new URL(folder).pathname;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.None,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
      executeCommandProvider: { commands: [ApplyFixCommand] },
    },
    serverInfo: { name: 'heal' },
  };
});

connection.onNotification(SettingsNotification.type, (s) => {
  settings = s;
});

function uriOf(file: string, cwd: string): string | undefined {
  const abs = path.isAbsolute(file) ? file : path.resolve(cwd, file);
  return existsSync(abs) ? pathToFileURL(abs).toString() : undefined;
}

function diagnosticOf(e: ErrorEvent, top: Suggestion | undefined, root: ErrorEvent | undefined): Diagnostic {
  const line = Math.max(0, (e.line ?? 1) - 1);
  const col = Math.max(0, (e.column ?? 1) - 1);
  return {
    range: { start: { line, character: col }, end: { line, character: e.column ? col + Math.max(1, (e.data?.name ?? e.data?.module ?? '').length) : 1000 } },
    severity: e.severity === 'error' ? DiagnosticSeverity.Error : e.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    source: 'Heal',
    code: e.fingerprint.slice(0, 8),
    message: `${e.message}${root ? `\n(caused by: ${root.message})` : ''}${top ? `\nSuggested: ${top.fix.description}` : ''}`,
    data: { fingerprint: e.fingerprint },
  };
}

async function handleOutput(record: OutputRecord): Promise<void> {
  if (!store || !settings.enabled) return;
  const cwd = record.cwd ?? workspaceRoot;
  const text = normalizeText(record.text);
  const { events } = scanText(text, { context: { commandLine: record.commandLine, cwd, exitCode: record.exitCode } });
  await store.update((data) => {
    linkCauses(events, knownEdges(data));
    recordRun(data, events, { source: record.source, commandLine: record.commandLine, cwd, exitCode: record.exitCode });
  });
  // A passing run of a command clears what that command reported before.
  if (record.commandLine) {
    for (const [uri, entries] of published) {
      const kept = entries.filter((x) => x.command !== record.commandLine);
      if (kept.length !== entries.length) publish(uri, kept);
    }
  }
  const failed = record.exitCode !== 0 || events.some((e) => e.severity === 'error');
  if (failed && events.length > 0) {
    const found = await lookupRun(events, { command: record.commandLine, output: text, exitCode: record.exitCode, cwd, sources: [new LocalPatternSource(store)], workspaceRoot });
    const suggestions = found.map((s) => withBaseHashes(s, cwd));
    if (suggestions.some((s) => s.fix.kind !== 'advice')) await store.update((data) => recordProposals(data, suggestions, { commandLine: record.commandLine, cwd }));
    for (const e of events) suggestionsByFingerprint.set(e.fingerprint, suggestions.filter((s) => s.fingerprint === e.fingerprint || !s.fingerprint));
    const byUri = new Map<string, Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>>();
    for (const e of events) {
      if (!e.file) continue;
      const uri = uriOf(e.file, cwd);
      if (!uri) continue;
      const root = e.causedBy ? events.find((x) => x.fingerprint === e.causedBy) : undefined;
      const entry = { diagnostic: diagnosticOf(e, suggestionsByFingerprint.get(e.fingerprint)?.[0], root), command: record.commandLine, fingerprint: e.fingerprint };
      byUri.set(uri, [...(byUri.get(uri) ?? []), entry]);
    }
    for (const [uri, entries] of byUri) {
      // The same error at the same place, reported again by any command, replaces the older diagnostic.
      const key = (x: { fingerprint: string; diagnostic: Diagnostic }) => `${x.fingerprint}@${x.diagnostic.range.start.line}:${x.diagnostic.range.start.character}`;
      const fresh = new Set(entries.map(key));
      publish(uri, [...(published.get(uri) ?? []).filter((x) => x.command !== record.commandLine && !fresh.has(key(x))), ...entries]);
    }
    const fileless = events.filter((e) => !e.file && e.severity === 'error' && !e.causedBy);
    if (fileless.length) {
      const top = suggestionsByFingerprint.get(fileless[0].fingerprint)?.[0];
      const action = top && top.fix.kind !== 'advice' ? { title: 'Apply fix' } : undefined;
      void connection.window.showWarningMessage(`Heal: ${fileless[0].message}${top ? ` — suggested: ${top.fix.description}` : ''}`, ...(action ? [action] : [])).then(async (chosen) => {
        if (chosen && top) await applyFromEditor(top.fix.id);
      });
    }
  }
  void connection.sendNotification(IssuesChangedNotification.type);
}

function publish(uri: string, entries: Array<{ diagnostic: Diagnostic; command?: string; fingerprint: string }>): void {
  if (entries.length) published.set(uri, entries);
  else published.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: entries.map((x) => x.diagnostic) });
}

/** Records are handled one at a time, in arrival order: bounded memory, and no contention for the store lock. */
let queue: Promise<void> = Promise.resolve();
connection.onNotification(OutputNotification.type, (record) => {
  queue = queue.then(() => handleOutput(record)).catch((e) => connection.console.error(`heal: ${(e as Error).message}`));
});

connection.onCodeAction((params) => {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'Heal') continue;
    const fingerprint = (d.data as { fingerprint?: string } | undefined)?.fingerprint;
    const suggestions = (fingerprint && suggestionsByFingerprint.get(fingerprint)) || [];
    suggestions
      .filter((s) => s.fix.kind !== 'advice')
      .slice(0, 3)
      .forEach((s, i) => {
        actions.push({ title: `Heal: ${s.fix.description}${s.safety === 'safe' ? '' : ` (${s.safety})`}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: i === 0, data: { fixId: s.fix.id } });
      });
  }
  return actions;
});

connection.onCodeActionResolve((action) => {
  const fixId = (action.data as { fixId: string }).fixId;
  action.command = { title: action.title, command: ApplyFixCommand, arguments: [fixId] };
  return action;
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== ApplyFixCommand || !store) return;
  return applyFromEditor(String(params.arguments?.[0] ?? ''));
});

/** Applies a proposed fix for the editor: refused in untrusted workspaces; diagnostics cleared when verified. */
async function applyFromEditor(fixId: string): Promise<{ ok: boolean; message: string } | undefined> {
  if (!store) return undefined;
  if (!settings.trusted) {
    void connection.window.showErrorMessage('Heal: this workspace is not trusted, so fixes are not applied. Trust the workspace to apply fixes.');
    return { ok: false, message: 'untrusted' };
  }
  try {
    const result = await applyFix({ store, fixId, trusted: settings.trusted, yes: true, verifyTimeoutMs: settings.verifyTimeoutSeconds * 1000 });
    const verified = result.application.state === 'verified' || result.application.state === 'applied';
    if (verified && result.application.fingerprint) {
      for (const [uri, entries] of published) publish(uri, entries.filter((x) => x.fingerprint !== result.application.fingerprint));
    }
    void connection.window.showInformationMessage(`Heal: ${result.application.description} — ${result.application.state}`);
    void connection.sendNotification(IssuesChangedNotification.type);
    return { ok: verified, message: result.application.state };
  } catch (e) {
    void connection.window.showErrorMessage(`Heal: ${(e as Error).message}`);
    return { ok: false, message: (e as Error).message };
  }
}

connection.onRequest(IssuesRequest.type, async (): Promise<IssueItem[]> => {
  await queue; // answer with every record received so far taken into account
  if (!store) return [];
  const data = await store.read();
  return openPatterns(data).map((p) => {
    const top = suggestionsByFingerprint.get(p.fingerprint)?.find((s) => s.fix.kind !== 'advice');
    return { fingerprint: p.fingerprint, tool: p.tool, category: p.category, message: p.examples[0] ?? p.message, count: p.counts.seen, lastSeen: p.lastSeen, file: p.file ? path.resolve(workspaceRoot, p.file) : null, line: p.line ?? null, quarantined: p.quarantined, topFix: top ? { id: top.fix.id, description: top.fix.description, safety: top.safety } : null };
  });
});

connection.onRequest(IgnoreRequest.type, async ({ fingerprint }) => {
  if (!store) return false;
  const ok = await store
    .update((data) => Boolean(ignore(data, fingerprint)))
    .catch((e) => {
      if (e instanceof UnknownPatternError) return false;
      throw e;
    });
  for (const [uri, entries] of published) publish(uri, entries.filter((x) => x.fingerprint !== fingerprint));
  void connection.sendNotification(IssuesChangedNotification.type);
  return ok;
});

connection.onRequest(ExplainRequest.type, async ({ fingerprint }) => {
  const p = store ? (await store.read()).patterns[fingerprint] : undefined;
  if (!p) return `No pattern ${fingerprint}.`;
  const s = suggestionsByFingerprint.get(fingerprint)?.[0];
  return `${p.tool}/${p.category}: ${p.examples[0] ?? p.message}\nSeen ${p.counts.seen}×, last ${p.lastSeen}.${s ? `\nTop suggestion: ${s.fix.description} — ${s.why}` : ''}`;
});

connection.listen();
