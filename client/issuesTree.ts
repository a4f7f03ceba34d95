// The Issues view: open issues grouped by root cause, with counts, last seen, tool icon and marks; the
// children of an issue are the issues that follow from it and its occurrences (opening the captured output).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IssueItem, Occurrence } from '../server/protocol';

export type IssueNode =
  { kind: 'issue'; issue: IssueItem } | { kind: 'occurrence'; issue: IssueItem; occurrence: Occurrence };

/** Codicons per tool family, so a glance tells a failing test from a missing package. */
const TOOL_ICONS: Record<string, string> = {
  npm: 'package',
  pnpm: 'package',
  yarn: 'package',
  pip: 'package',
  cargo: 'package',
  go: 'package',
  git: 'git-branch',
  docker: 'vm',
  shell: 'terminal',
  node: 'debug-stackframe',
  python: 'debug-stackframe',
  jest: 'beaker',
  vitest: 'beaker',
  mocha: 'beaker',
  pytest: 'beaker',
  'cargo-test': 'beaker',
  'go-test': 'beaker',
  tsc: 'symbol-class',
  eslint: 'checklist',
  rustc: 'tools',
  javac: 'tools',
  maven: 'tools',
  gradle: 'tools',
  cc: 'tools',
};

export class IssuesTree implements vscode.TreeDataProvider<IssueNode> {
  private issues: IssueItem[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Workspace folder the view is limited to (undefined: all folders of the window). */
  folder: vscode.WorkspaceFolder | undefined;

  constructor(private readonly fetch: (folders: string[] | undefined) => Promise<IssueItem[]>) {}

  async reload(): Promise<IssueItem[]> {
    const folders = this.folder
      ? [this.folder.uri.fsPath]
      : vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath);
    this.issues = await this.fetch(folders);
    this.changed.fire();
    return this.issues;
  }

  getChildren(node?: IssueNode): IssueNode[] {
    const open = new Set(this.issues.map((i) => i.fingerprint));
    if (!node)
      return this.issues.filter((i) => !i.causedBy || !open.has(i.causedBy)).map((issue) => ({ kind: 'issue', issue }));
    if (node.kind === 'occurrence') return [];
    const followers = this.issues
      .filter((i) => i.causedBy === node.issue.fingerprint)
      .map((issue): IssueNode => ({ kind: 'issue', issue }));
    return [
      ...followers,
      ...node.issue.occurrences.map((occurrence): IssueNode => ({ kind: 'occurrence', issue: node.issue, occurrence })),
    ];
  }

  /** A follower's parent is its root cause (when that is open too); an occurrence's, its issue. */
  getParent(node: IssueNode): IssueNode | undefined {
    if (node.kind === 'occurrence') return { kind: 'issue', issue: node.issue };
    const cause = node.issue.causedBy ? this.issues.find((i) => i.fingerprint === node.issue.causedBy) : undefined;
    return cause ? { kind: 'issue', issue: cause } : undefined;
  }

  /** The node of an open issue, for revealing it. */
  find(fingerprint: string): IssueNode | undefined {
    const issue = this.issues.find((i) => i.fingerprint === fingerprint);
    return issue ? { kind: 'issue', issue } : undefined;
  }

  getTreeItem(node: IssueNode): vscode.TreeItem {
    return node.kind === 'issue' ? issueItem(node.issue, this.issues) : occurrenceItem(node.issue, node.occurrence);
  }
}

function issueItem(issue: IssueItem, all: IssueItem[]): vscode.TreeItem {
  const followers = all.filter((i) => i.causedBy === issue.fingerprint).length;
  const hasChildren = followers > 0 || issue.occurrences.length > 0;
  const item = new vscode.TreeItem(
    issue.message.split('\n')[0],
    hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = issue.fingerprint;
  const marks = [
    issue.flaky ? 'flaky' : '',
    issue.quarantined ? 'quarantined' : '',
    followers ? `causes ${followers}` : '',
  ].filter(Boolean);
  item.description = `${issue.tool} ×${issue.count} · ${ago(issue.lastSeen)}${marks.length ? ` · ${marks.join(' · ')}` : ''}`;
  item.tooltip = new vscode.MarkdownString(
    `**${issue.tool}/${issue.category}**\n\n${issue.message}\n\nSeen ${issue.count}×, last ${new Date(issue.lastSeen).toLocaleString()}` +
      `${issue.file ? `\n\n${issue.file}${issue.line ? `:${issue.line}` : ''}` : ''}\n\nfingerprint \`${issue.fingerprint}\`` +
      `${issue.flaky ? '\n\nFlaky: passes and fails without a change; retry or quarantine the test rather than editing code.' : ''}` +
      `${issue.topFix ? `\n\nSuggested: ${issue.topFix.description} (${issue.topFix.safety})` : ''}`,
  );
  const icon = issue.quarantined ? 'circle-slash' : issue.flaky ? 'question' : (TOOL_ICONS[issue.tool] ?? 'error');
  item.iconPath = new vscode.ThemeIcon(
    icon,
    new vscode.ThemeColor(issue.flaky ? 'problemsWarningIcon.foreground' : 'problemsErrorIcon.foreground'),
  );
  // Space-separated flags; menus test them with `viewItem =~ /\bflag\b/`.
  item.contextValue = [
    'issue',
    issue.topFix ? 'fixable' : '',
    issue.quarantined ? 'quarantined' : '',
    issue.file ? 'hasFile' : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (issue.file) {
    const line = Math.max(0, (issue.line ?? 1) - 1);
    item.command = {
      title: 'Reveal in File',
      command: 'vscode.open',
      arguments: [vscode.Uri.file(issue.file), { selection: new vscode.Range(line, 0, line, 0) }],
    };
  }
  return item;
}

function occurrenceItem(issue: IssueItem, o: Occurrence): vscode.TreeItem {
  const item = new vscode.TreeItem(new Date(o.at).toLocaleString(), vscode.TreeItemCollapsibleState.None);
  item.description = o.commandLine ?? (o.output ? '' : 'output not kept');
  item.iconPath = new vscode.ThemeIcon('history');
  item.contextValue = 'occurrence';
  if (o.output) {
    const line = o.output.line;
    item.command = {
      title: 'Open Captured Output',
      command: 'vscode.open',
      arguments: [vscode.Uri.parse(o.output.uri), { selection: new vscode.Range(line, 0, line, 0), preview: true }],
    };
    item.tooltip = `Open the output of ${o.commandLine ?? 'the command'} at the error`;
  }
  item.id = `${issue.fingerprint}@${o.at}`;
  return item;
}

/** Opens the file an issue names, at its line. */
export function revealInFile(issue: IssueItem): Thenable<unknown> | undefined {
  if (!issue.file) return undefined;
  const line = Math.max(0, (issue.line ?? 1) - 1);
  return vscode.window.showTextDocument(vscode.Uri.file(issue.file), { selection: new vscode.Range(line, 0, line, 0) });
}

function ago(iso: string): string {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function folderLabel(folder: vscode.WorkspaceFolder | undefined): string {
  return folder ? folder.name || path.basename(folder.uri.fsPath) : 'all folders';
}
