// Heal VS Code extension: captures terminal output, hands it to the language server, shows Issues and a status item.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { IgnoreRequest, IssuesChangedNotification, IssuesRequest, ExplainRequest, OutputNotification, SettingsNotification, ApplyFixCommand, type HealSettings, type IssueItem } from '../server/protocol';
import { TerminalCapture } from './terminalCapture';
import { IssuesTree } from './issuesTree';
import { registerHealTasks } from './healTask';
import { registerDoctorPanel } from './doctorPanel';
import { registerTerminalLinks } from './terminalLinks';

let client: LanguageClient | undefined;

function readSettings(): HealSettings {
  const c = vscode.workspace.getConfiguration('heal');
  return { enabled: c.get('enabled', true), autoApply: c.get('autoApply', 'off'), verifyTimeoutSeconds: c.get('verify.timeoutSeconds', 120), trusted: vscode.workspace.isTrusted };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }],
    outputChannelName: 'Heal',
    initializationOptions: { storeDir: context.globalStorageUri.fsPath, settings: readSettings() },
  };
  client = new LanguageClient('heal', 'Heal', serverOptions, clientOptions);

  const tree = new IssuesTree(() => client!.sendRequest(IssuesRequest.type));
  const view = vscode.window.createTreeView('heal.issues', { treeDataProvider: tree, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('heal.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Heal';
  status.command = 'heal.showIssues';
  const refresh = async () => {
    const issues = await tree.reload();
    view.badge = issues.length ? { value: issues.length, tooltip: `${issues.length} open issue(s)` } : undefined;
    status.text = `$(pulse) Heal: ${issues.length}`;
    status.tooltip = `${issues.length} open issue(s) — click to show`;
    status.show();
  };

  const capture = new TerminalCapture((record) => {
    if (readSettings().enabled && vscode.workspace.getConfiguration('heal').get('capture.terminal', true)) void client?.sendNotification(OutputNotification.type, record);
  });
  const tasks = registerHealTasks((record) => {
    if (readSettings().enabled && vscode.workspace.getConfiguration('heal').get('capture.tasks', true)) void client?.sendNotification(OutputNotification.type, record);
  });

  context.subscriptions.push(
    view,
    status,
    capture,
    tasks,
    registerTerminalLinks(),
    registerDoctorPanel(context, String(context.extension.packageJSON.version ?? ''), () => capture.active),
    vscode.commands.registerCommand('heal.showIssues', () => vscode.commands.executeCommand('heal.issues.focus')),
    vscode.commands.registerCommand('heal.refreshIssues', refresh),
    vscode.commands.registerCommand('heal.ignore', async (item?: IssueItem) => {
      const fingerprint = item?.fingerprint ?? (await vscode.window.showInputBox({ prompt: 'Fingerprint to ignore' }));
      if (fingerprint) await client?.sendRequest(IgnoreRequest.type, { fingerprint });
    }),
    vscode.commands.registerCommand('heal.explain', async (item?: IssueItem) => {
      if (!item) return;
      const text = await client!.sendRequest(ExplainRequest.type, { fingerprint: item.fingerprint });
      void vscode.window.showInformationMessage(text, { modal: true });
    }),
    vscode.commands.registerCommand('heal.applyFix', async (item?: IssueItem) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage('Heal: this workspace is not trusted, so fixes are not applied. Trust the workspace to apply fixes.');
        return;
      }
      if (item?.topFix) await vscode.commands.executeCommand(ApplyFixCommand, item.topFix.id);
    }),
    vscode.commands.registerCommand('heal.copyFingerprint', (item?: IssueItem) => item && vscode.env.clipboard.writeText(item.fingerprint)),
    vscode.commands.registerCommand('heal.scanOutput', async () => {
      // The selection, else the whole active document (a saved log), else the clipboard.
      const editor = vscode.window.activeTextEditor;
      const text = editor ? (editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection)) : await vscode.env.clipboard.readText();
      if (!text.trim()) {
        void vscode.window.showInformationMessage('Heal: nothing to scan. Select command output, open a log file, or copy output to the clipboard.');
        return;
      }
      const now = new Date().toISOString();
      const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      await client?.sendNotification(OutputNotification.type, { source: 'file', cwd, exitCode: 1, startedAt: now, endedAt: now, text });
    }),
    vscode.commands.registerCommand('heal.runCommand', async () => {
      const command = await vscode.window.showInputBox({ prompt: 'Command to run with Heal watching' });
      if (!command) return;
      const terminal = vscode.window.activeTerminal ?? vscode.window.createTerminal('Heal');
      terminal.show();
      if (terminal.shellIntegration) terminal.shellIntegration.executeCommand(command);
      else terminal.sendText(`heal run -- ${command}`);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('heal') && client?.sendNotification(SettingsNotification.type, readSettings())),
    vscode.workspace.onDidGrantWorkspaceTrust(() => client?.sendNotification(SettingsNotification.type, readSettings())),
  );
  // The bundled CLI is on the integrated terminal's PATH.
  context.environmentVariableCollection.prepend('PATH', context.asAbsolutePath('bin') + path.delimiter);

  await client.start();
  client.onNotification(IssuesChangedNotification.type, () => void refresh());
  await refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
