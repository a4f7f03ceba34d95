// The Issues view: open issues grouped by fingerprint, with counts and the top fix.
import * as vscode from 'vscode';
import type { IssueItem } from '../server/protocol';

export class IssuesTree implements vscode.TreeDataProvider<IssueItem> {
  private issues: IssueItem[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly fetch: () => Promise<IssueItem[]>) {}

  async reload(): Promise<IssueItem[]> {
    this.issues = await this.fetch();
    this.changed.fire();
    return this.issues;
  }

  getChildren(element?: IssueItem): IssueItem[] {
    return element ? [] : this.issues;
  }

  getTreeItem(issue: IssueItem): vscode.TreeItem {
    const item = new vscode.TreeItem(issue.message.split('\n')[0], vscode.TreeItemCollapsibleState.None);
    item.id = issue.fingerprint;
    item.description = `${issue.tool} ×${issue.count}${issue.quarantined ? ' · quarantined' : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${issue.tool}/${issue.category}**\n\n${issue.message}\n\nfingerprint \`${issue.fingerprint}\`${issue.topFix ? `\n\nSuggested: ${issue.topFix.description} (${issue.topFix.safety})` : ''}`);
    item.iconPath = new vscode.ThemeIcon(issue.quarantined ? 'circle-slash' : 'error');
    item.contextValue = issue.topFix ? 'issue.fixable' : 'issue';
    if (issue.file) item.command = { title: 'Reveal', command: 'vscode.open', arguments: [vscode.Uri.file(issue.file), { selection: new vscode.Range(Math.max(0, (issue.line ?? 1) - 1), 0, Math.max(0, (issue.line ?? 1) - 1), 0) }] };
    return item;
  }
}
