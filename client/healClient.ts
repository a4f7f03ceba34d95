// The extension proper: captures terminal output, hands it to the language server, shows Issues and a status item.
// Loaded right after activation (see extension.ts); the language server starts in the background.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { OutputRecord } from '../shared/capture';
import {
  ApplyFixCommand,
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
  type HealSettings,
  type IssueItem,
} from '../server/protocol';
import { registerDiagnosticsFallback } from './diagnosticsFallback';
import { registerDoctorPanel } from './doctorPanel';
import { registerMetricsPanel } from './metricsPanel';
import { registerConsentPanel } from './consentPanel';
import { registerHealTasks } from './healTask';
import { folderLabel, IssuesTree, revealInFile, type IssueNode } from './issuesTree';
import { putCliOnPath } from './cliOnPath';
import { registerRemoteConfig, remoteSecrets, type RemoteSecrets } from './remoteConfig';
import { terminalPath, readSettings } from './settings';
import { registerShellIntegrationNotice } from './shellIntegrationNotice';
import { TerminalCapture } from './terminalCapture';
import { registerTerminalLinks } from './terminalLinks';
import { registerVirtualDocuments } from './virtualDocuments';

let client: LanguageClient | undefined;

function serverSettings(remote: RemoteSecrets = {}): HealSettings {
  const s = readSettings();
  return {
    enabled: s.enabled,
    autoApply: s.autoApply,
    verifyTimeoutSeconds: s.verifyTimeoutSeconds,
    trusted: vscode.workspace.isTrusted,
    folders: vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath),
    remoteUrl: s.remoteUrl || undefined,
    remoteKey: s.remoteUrl ? remote.key : undefined,
    remoteProject: s.remoteUrl ? s.remoteProject || undefined : undefined,
    remoteToken: s.remoteUrl ? remote.token : undefined,
    terminalPath: terminalPath(),
  };
}

/**
 * The issue a command was invoked on: a tree node (context menu), an issue (internal), the selection, or — from
 * the command palette — one the user picks.
 */
async function issueOf(
  arg: IssueNode | IssueItem | undefined,
  view: vscode.TreeView<IssueNode>,
  tree: IssuesTree,
  action: string,
): Promise<IssueItem | undefined> {
  if (arg && 'kind' in arg) return arg.issue;
  const chosen = arg ?? view.selection[0]?.issue;
  if (chosen) return chosen;
  const issues = await tree.reload();
  if (!issues.length) {
    void vscode.window.showInformationMessage('Heal: there are no open issues.');
    return undefined;
  }
  const items = issues.map((issue) => ({
    label: issue.message.split('\n')[0],
    description: `${issue.tool} ×${issue.count}`,
    detail: issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}` : undefined,
    issue,
  }));
  return (
    await vscode.window.showQuickPick(items, {
      title: `Heal: ${action}`,
      placeHolder: 'Which issue?',
      matchOnDescription: true,
      matchOnDetail: true,
    })
  )?.issue;
}

export function start(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The server handles small messages: a small young generation, and an old-space limit far above what it needs
  // (which makes V8 collect before growing), keep its memory down at no cost in latency (bench/editor).
  const execArgv = ['--max-semi-space-size=4', '--max-old-space-size=256'];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6009'] } },
  };
  // The end of the last failed command, to log how long its diagnostics took (bench/editor reads the log).
  let lastFailed: { command: string; at: number } | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }],
    outputChannelName: 'Heal',
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        next(uri, diagnostics);
        if (lastFailed && diagnostics.length) {
          lc.outputChannel.appendLine(
            `diagnostics for \`${lastFailed.command}\` published ${(performance.now() - lastFailed.at).toFixed(1)} ms after it ended`,
          );
          lastFailed = undefined;
        }
      },
    },
    // Sent as is (a function's promise would not be awaited); the remote key follows with the settings after start.
    initializationOptions: {
      storeDir: context.globalStorageUri.fsPath,
      settings: serverSettings(),
      version: String(context.extension.packageJSON.version ?? ''),
    },
  };
  const lc = new LanguageClient('heal', 'Heal', serverOptions, clientOptions);
  client = lc;
  const started = lc.start();
  const ready = async () => {
    await started;
    return lc;
  };
  const pushSettings = async () =>
    (await ready()).sendNotification(SettingsNotification.type, serverSettings(await remoteSecrets(context)));
  const send = (record: OutputRecord) => void ready().then((c) => c.sendNotification(OutputNotification.type, record));

  const tree = new IssuesTree(async (folders) => (await ready()).sendRequest(IssuesRequest.type, { folders }));
  const view = vscode.window.createTreeView('heal.issues', { treeDataProvider: tree, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('heal.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Heal';
  status.command = 'heal.showIssues';
  const refresh = async () => {
    const [issues, breaker] = await Promise.all([
      tree.reload(),
      ready().then((c) => c.sendRequest(BreakerRequest.type, {})),
    ]);
    view.badge = issues.length ? { value: issues.length, tooltip: `${issues.length} open issue(s)` } : undefined;
    view.description = tree.folder ? folderLabel(tree.folder) : undefined;
    const paused = breaker.state === 'open';
    status.text = `${paused ? '$(circle-slash)' : '$(pulse)'} Heal: ${issues.length}${paused ? ' · fixes paused' : ''}`;
    status.tooltip =
      `${issues.length} open issue(s) — click to show` +
      (paused
        ? `\nCircuit breaker open after repeated reverts: Heal applies no fixes until ${new Date(breaker.reopensAt ?? Date.now()).toLocaleTimeString()}.`
        : breaker.state === 'halfOpen'
          ? '\nCircuit breaker half-open: the next fix is a trial.'
          : '');
    status.backgroundColor = paused ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
  };

  const capture = new TerminalCapture((record, endedAt) => {
    const s = readSettings();
    if (!s.enabled || !s.captureTerminal) return;
    if (record.exitCode !== 0) lastFailed = { command: record.commandLine ?? '', at: endedAt };
    send(record);
  });
  const tasks = registerHealTasks(async (record) => {
    const s = readSettings();
    if (!s.enabled || !s.captureTasks) return [];
    return (await ready()).sendRequest(OutputSummaryRequest.type, record);
  });

  context.subscriptions.push(
    view,
    status,
    capture,
    tasks,
    registerTerminalLinks(async (fingerprint) => {
      await vscode.commands.executeCommand('heal.showIssues');
      await tree.reload();
      const node = tree.find(fingerprint);
      if (node) await view.reveal(node, { select: true, focus: true, expand: true });
      else
        void vscode.window.showInformationMessage(
          'Heal: this error is not an open issue (it may have been fixed or ignored).',
        );
    }),
    registerVirtualDocuments(() => client),
    registerShellIntegrationNotice(context),
    registerDiagnosticsFallback(send, () => readSettings().enabled && !capture.active),
    registerDoctorPanel(
      context.extensionUri,
      context.globalStorageUri.fsPath,
      async (remote) => (await ready()).sendRequest(DoctorRequest.type, { remote }),
      () => capture.active,
    ),
    registerRemoteConfig(context, () => void pushSettings()),
    registerMetricsPanel(context, async (days) => (await ready()).sendRequest(MetricsRequest.type, { days })),
    registerConsentPanel(context, async (p) => (await ready()).sendRequest(ReportRequest.type, p)),
    vscode.commands.registerCommand('heal.showIssues', () => vscode.commands.executeCommand('heal.issues.focus')),
    vscode.commands.registerCommand('heal.refreshIssues', refresh),
    vscode.commands.registerCommand('heal.filterFolder', async () => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'All folders', folder: undefined },
          ...folders.map((folder) => ({ label: folder.name, description: folder.uri.fsPath, folder })),
        ],
        { title: 'Heal: show issues of' },
      );
      if (!picked) return;
      tree.folder = picked.folder;
      await refresh();
    }),
    vscode.commands.registerCommand('heal.ignore', async (arg?: IssueNode | IssueItem) => {
      const fingerprint = (await issueOf(arg, view, tree, 'Ignore'))?.fingerprint;
      if (fingerprint) await (await ready()).sendRequest(IgnoreRequest.type, { fingerprint });
    }),
    vscode.commands.registerCommand('heal.unquarantine', async (arg?: IssueNode | IssueItem) => {
      const fingerprint = (await issueOf(arg, view, tree, 'Unquarantine'))?.fingerprint;
      if (!fingerprint) return;
      const ok = await (await ready()).sendRequest(UnquarantineRequest.type, { fingerprint });
      void vscode.window.showInformationMessage(
        ok ? 'Heal: the pattern is suggested again.' : `Heal: no pattern ${fingerprint}.`,
      );
    }),
    vscode.commands.registerCommand('heal.explain', async (arg?: IssueNode | IssueItem) => {
      const issue = await issueOf(arg, view, tree, 'Explain');
      if (issue)
        await vscode.commands.executeCommand(
          'markdown.showPreview',
          vscode.Uri.parse(`heal-explain:/${issue.fingerprint}.md`),
        );
    }),
    vscode.commands.registerCommand('heal.revealInFile', async (arg?: IssueNode | IssueItem) => {
      const issue = await issueOf(arg, view, tree, 'Reveal in File');
      if (issue) return revealInFile(issue);
    }),
    vscode.commands.registerCommand('heal.applyFix', async (arg?: IssueNode | IssueItem) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage(
          'Heal: this workspace is not trusted, so fixes are not applied. Trust the workspace to apply fixes.',
        );
        return;
      }
      const issue = await issueOf(arg, view, tree, 'Apply Fix');
      if (!issue) return;
      if (issue.topFix) await vscode.commands.executeCommand(ApplyFixCommand, issue.topFix.id);
      else void vscode.window.showInformationMessage('Heal: no fix to apply for this issue.');
    }),
    vscode.commands.registerCommand('heal.copyFingerprint', async (arg?: IssueNode | IssueItem) => {
      const issue = await issueOf(arg, view, tree, 'Copy Fingerprint');
      if (issue) return vscode.env.clipboard.writeText(issue.fingerprint);
    }),
    vscode.commands.registerCommand('heal.scanOutput', async () => {
      // The selection, else the whole active document (a saved log), else the clipboard.
      const editor = vscode.window.activeTextEditor;
      const text = editor
        ? editor.selection.isEmpty
          ? editor.document.getText()
          : editor.document.getText(editor.selection)
        : await vscode.env.clipboard.readText();
      if (!text.trim()) {
        void vscode.window.showInformationMessage(
          'Heal: nothing to scan. Select command output, open a log file, or copy output to the clipboard.',
        );
        return;
      }
      const now = new Date().toISOString();
      const folder = editor
        ? vscode.workspace.getWorkspaceFolder(editor.document.uri)
        : vscode.workspace.workspaceFolders?.[0];
      send({ source: 'file', cwd: folder?.uri.fsPath, exitCode: 1, startedAt: now, endedAt: now, text });
    }),
    vscode.commands.registerCommand('heal.runCommand', async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window
          .showWarningMessage(
            'Heal runs no commands in an untrusted workspace. Trust the workspace to run commands; Heal: Scan Output… still reads output you select or copy.',
            'Manage Workspace Trust',
          )
          .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
        return;
      }
      const command = await vscode.window.showInputBox({ prompt: 'Command to run with Heal watching' });
      if (!command) return;
      const terminal = vscode.window.activeTerminal ?? vscode.window.createTerminal('Heal');
      terminal.show();
      if (terminal.shellIntegration) terminal.shellIntegration.executeCommand(command);
      else terminal.sendText(`heal run -- ${command}`);
    }),
    vscode.workspace.onDidChangeConfiguration(
      (e) =>
        (e.affectsConfiguration('heal') || e.affectsConfiguration('terminal.integrated.env')) && void pushSettings(),
    ),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void pushSettings()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (tree.folder && !vscode.workspace.workspaceFolders?.includes(tree.folder)) tree.folder = undefined;
      void pushSettings().then(refresh);
    }),
  );
  void putCliOnPath(context).catch((e: Error) =>
    lc.outputChannel.appendLine(`Heal: could not put the heal CLI on the terminal's PATH: ${e.message}`),
  );

  void started.then(
    () => {
      lc.onNotification(IssuesChangedNotification.type, () => void refresh());
      void pushSettings();
      // A quick fix's edits are saved before Heal re-runs the command to verify them.
      lc.onRequest(SaveDocumentsRequest.type, async ({ uris }) => {
        for (const uri of uris) await vscode.workspace.save(vscode.Uri.parse(uri));
        return true;
      });
      void offerBackfillOnce(context, (folders) => lc.sendRequest(BackfillRequest.type, { folders }));
      // Reports the user filed that were resolved since: told once (the server checks its local cache only).
      void lc.sendRequest(ResolvedReportsRequest.type, {}).then((resolved) => {
        for (const r of resolved)
          void vscode.window.showInformationMessage(
            `Heal: the problem you reported (${r.summary}) is resolved${r.note ? `: ${r.note}` : ''}.`,
          );
      });
      return refresh();
    },
    (e: unknown) =>
      void vscode.window.showErrorMessage(
        `Heal: the language server did not start (${(e as Error).message}). See the Heal output channel.`,
      ),
  );
}

/** Once per install: offer to learn from the logs already in the workspace. Dismissing it means No. */
async function offerBackfillOnce(
  context: vscode.ExtensionContext,
  run: (folders: string[]) => Promise<{ files: number; bytes: number; events: number }>,
): Promise<void> {
  const folders = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
  if (!folders.length || !vscode.workspace.isTrusted || context.globalState.get('heal.backfillOffered')) return;
  await context.globalState.update('heal.backfillOffered', true);
  const choice = await vscode.window.showInformationMessage(
    'Heal: learn from the logs already in this workspace (*.log, JUnit reports, pytest failures)? Nothing leaves your machine.',
    'Scan Logs',
    'No',
  );
  if (choice !== 'Scan Logs') return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Heal: scanning logs…' },
    () => run(folders),
  );
  void vscode.window.showInformationMessage(
    `Heal: ${result.files} log file(s), ${(result.bytes / (1 << 20)).toFixed(1)} MB scanned; ${result.events} failure(s) remembered.`,
  );
}

export async function stop(): Promise<void> {
  await client?.stop();
}
