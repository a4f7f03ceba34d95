// `Heal: Doctor`: the doctor's checks in a webview, with re-run, copy as Markdown and fixes Heal can make itself.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { STORE_FILE } from '../shared/store/localStore';
import { toMarkdown, type CheckResult } from '../shared/doctor/doctor';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function editorChecks(capturing: () => boolean): Promise<CheckResult[]> {
  const config = vscode.workspace.getConfiguration('terminal.integrated');
  const integration = config.get<boolean>('shellIntegration.enabled', true);
  const checks: CheckResult[] = [
    { id: 'vscode', title: 'VS Code', status: 'ok', detail: `${vscode.version} (${vscode.env.appHost})`, ms: 0 },
    {
      id: 'trust',
      title: 'Workspace trust',
      status: vscode.workspace.isTrusted ? 'ok' : 'warn',
      detail: vscode.workspace.isTrusted ? 'trusted' : 'restricted mode',
      hint: vscode.workspace.isTrusted
        ? undefined
        : 'Heal detects and suggests, but applies fixes only in trusted workspaces.',
      ms: 0,
    },
    {
      id: 'shellIntegration',
      title: 'Terminal shell integration',
      status: integration ? (capturing() ? 'ok' : 'warn') : 'fail',
      detail: integration
        ? capturing()
          ? 'active: commands are captured'
          : 'enabled, not seen active in a terminal yet'
        : 'disabled',
      hint: integration
        ? capturing()
          ? undefined
          : 'Open a bash, zsh, fish or PowerShell terminal (Fix opens one); elsewhere use Heal: Run Command with Heal or a heal task.'
        : 'Turn on terminal.integrated.shellIntegration.enabled (Fix).',
      ms: 0,
    },
  ];
  return checks;
}

/** What Heal can do about a check itself: the button's label, when it shows, and the action. */
interface CheckFix {
  label: string;
  applies: (r: CheckResult) => boolean;
  run: () => Thenable<unknown>;
}

function checkFixes(storeDir: string): Record<string, CheckFix> {
  return {
    shellIntegration: {
      label: 'Fix',
      applies: (r) => r.status !== 'ok',
      run: async () => {
        const config = vscode.workspace.getConfiguration('terminal.integrated');
        // Disabled: turn it on. Enabled but not seen: open a terminal of a shell that has it.
        if (!config.get<boolean>('shellIntegration.enabled', true))
          await config.update('shellIntegration.enabled', true, vscode.ConfigurationTarget.Global);
        else
          vscode.window
            .createTerminal({ name: 'Heal', shellPath: process.platform === 'win32' ? 'powershell.exe' : 'bash' })
            .show();
      },
    },
    trust: {
      label: 'Manage Trust',
      applies: (r) => r.status !== 'ok',
      run: () => vscode.commands.executeCommand('workbench.trust.manage'),
    },
    store: {
      label: 'Remove Stale Lock',
      applies: (r) => r.status === 'warn' && /stale lock/.test(r.detail),
      run: () => rm(path.join(storeDir, `${STORE_FILE}.lock`), { recursive: true, force: true }),
    },
    remote: {
      label: 'Configure Remote',
      applies: (r) => r.status !== 'ok',
      run: () => vscode.commands.executeCommand('heal.configureRemote'),
    },
  };
}

/** `doctor(false)`: the local checks (run by the language server); `doctor(true)`: the remote check. */
export function registerDoctorPanel(
  extensionUri: vscode.Uri,
  storeDir: string,
  doctor: (remote: boolean) => Promise<CheckResult[]>,
  capturing: () => boolean,
): vscode.Disposable {
  const fixes = checkFixes(storeDir);
  const elements = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  let panel: vscode.WebviewPanel | undefined;
  let last: CheckResult[] = [];

  const render = async () => {
    if (!panel) return;
    const started = performance.now();
    const local = await doctor(false);
    const localMs = performance.now() - started;
    last = [...(await editorChecks(capturing)), ...local];
    panel.webview.html = html(panel.webview, elements, last, localMs, fixes, 'checking…');
    last = [...last, ...(await doctor(true))];
    if (panel) panel.webview.html = html(panel.webview, elements, last, localMs, fixes);
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('heal.doctor', async () => {
      if (panel) panel.reveal();
      else {
        panel = vscode.window.createWebviewPanel('heal.doctor', 'Heal: Doctor', vscode.ViewColumn.Active, {
          enableScripts: true,
          localResourceRoots: [elements],
        });
        panel.onDidDispose(() => (panel = undefined));
        panel.webview.onDidReceiveMessage(async (message: unknown) => {
          const m = message as { type?: string; id?: string };
          if (m.type === 'rerun') await render();
          else if (m.type === 'copy') {
            await vscode.env.clipboard.writeText(toMarkdown(last));
            void vscode.window.showInformationMessage('Heal: doctor report copied as Markdown.');
          } else if (m.type === 'fix' && m.id && Object.hasOwn(fixes, m.id)) {
            await fixes[m.id].run();
            await render();
          }
        });
      }
      await render();
    }),
  );
}

function html(
  webview: vscode.Webview,
  elements: vscode.Uri,
  results: CheckResult[],
  localMs: number,
  fixes: Record<string, CheckFix>,
  remoteNote?: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const icon = { ok: '✔', warn: '⚠', fail: '✖' } as const;
  const rows = results
    .map(
      (r) =>
        `<tr class="${r.status}"><td aria-label="${r.status}">${icon[r.status]}</td><th scope="row">${escape(r.title)}</th><td>${escape(r.detail)}</td><td>${escape(r.hint ?? '')}</td><td>${
          Object.hasOwn(fixes, r.id) && fixes[r.id].applies(r)
            ? `<vscode-button data-fix="${escape(r.id)}">${escape(fixes[r.id].label)}</vscode-button>`
            : ''
        }</td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Heal: Doctor</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
tr.ok td:first-child { color: var(--vscode-testing-iconPassed); } tr.warn td:first-child { color: var(--vscode-editorWarning-foreground); } tr.fail td:first-child { color: var(--vscode-errorForeground); }
</style></head><body>
<h1>Heal: Doctor</h1>
<p>Local checks took ${localMs.toFixed(0)} ms.${remoteNote ? ` Remote: ${remoteNote}` : ''}</p>
<p><vscode-button id="rerun">Re-run</vscode-button> <vscode-button id="copy" secondary>Copy as Markdown</vscode-button></p>
<table id="checks"><thead><tr><th></th><th>Check</th><th>Result</th><th>How to fix</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<script nonce="${nonce}" type="module" src="${webview.asWebviewUri(vscode.Uri.joinPath(elements, 'vscode-elements.js'))}"></script>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('rerun').addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
document.getElementById('copy').addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
for (const b of document.querySelectorAll('vscode-button[data-fix]')) b.addEventListener('click', () => vscode.postMessage({ type: 'fix', id: b.dataset.fix }));
</script></body></html>`;
}
