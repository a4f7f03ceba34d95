// `Heal: Report Problem…`: the consent webview. Nothing is sent until the user picks a level and presses Send;
// the preview is the exact bytes the language server would send. The choice can be remembered (heal.consentLevel).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { CONSENT_DESCRIPTIONS, consentLevels, parseContact, type ConsentLevel } from '../shared/report/consent';
import { readSettings, updateSetting } from './settings';

type ReportCall = (p: {
  consent: ConsentLevel;
  contact: string;
  send: boolean;
}) => Promise<{ ok: boolean; body?: string; message: string }>;

export function registerConsentPanel(context: vscode.ExtensionContext, report: ReportCall): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  return vscode.commands.registerCommand('heal.reportProblem', () => {
    if (panel) return panel.reveal();
    const root = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    panel = vscode.window.createWebviewPanel('heal.report', 'Heal: Report Problem', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [root, media],
    });
    const webview = panel.webview;
    panel.onDidDispose(() => (panel = undefined));
    webview.onDidReceiveMessage(
      async (m: { type: string; consent?: string; contact?: string; remember?: boolean; seq?: number }) => {
        if (m.type === 'cancel') return panel?.dispose();
        const consent = (consentLevels as readonly string[]).includes(m.consent ?? '')
          ? (m.consent as ConsentLevel)
          : 'minimal';
        const contact = m.contact ?? '';
        let contactError: string | undefined;
        try {
          parseContact(contact);
        } catch (e) {
          contactError = (e as Error).message;
        }
        if (m.type === 'update') {
          const r = contactError ? undefined : await report({ consent, contact, send: false });
          void webview.postMessage({
            type: 'preview',
            seq: m.seq,
            body: r?.body,
            error: r && !r.ok ? r.message : undefined,
            contactError,
          });
        } else if (m.type === 'send' && !contactError) {
          const r = await report({ consent, contact, send: true });
          if (r.ok && m.remember) await updateSetting('consentLevel', consent);
          void webview.postMessage({ type: 'sent', ok: r.ok, message: r.message });
          void (r.ok
            ? vscode.window.showInformationMessage(`Heal: ${r.message}`)
            : vscode.window.showErrorMessage(`Heal: ${r.message}`));
        }
      },
    );
    const remembered = readSettings().consentLevel;
    webview.html = html(
      webview,
      remembered === 'ask' ? undefined : remembered,
      vscode.Uri.joinPath(root, 'vscode-elements.js'),
      vscode.Uri.joinPath(media, 'consentView.js'),
    );
  });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(
  webview: vscode.Webview,
  chosen: ConsentLevel | undefined,
  elementsJs: vscode.Uri,
  viewJs: vscode.Uri,
): string {
  const nonce = randomBytes(16).toString('base64');
  const src = (u: vscode.Uri) => webview.asWebviewUri(u).toString();
  const options = consentLevels
    .map(
      (l) =>
        `<vscode-option value="${l}"${l === (chosen ?? 'minimal') ? ' selected' : ''} description="${escape(CONSENT_DESCRIPTIONS[l])}">${l} — ${escape(CONSENT_DESCRIPTIONS[l])}</vscode-option>`,
    )
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Heal: Report Problem</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; max-width: 900px; }
.row { margin: 12px 0; display: flex; flex-direction: column; gap: 4px; }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px; max-height: 360px; overflow: auto; white-space: pre-wrap; }
#status { color: var(--vscode-errorForeground); min-height: 1.2em; } .actions { display: flex; gap: 8px; }
</style></head><body>
<h1>Heal: Report Problem</h1>
<p>A report tells Heal's maintainers about a failure Heal could not heal. Everything in it is scrubbed of personal data and
secrets first. Nothing is sent until you press <strong>Send report</strong>. ${chosen ? 'Your remembered level is selected.' : 'The smallest level is selected; choose the one you agree to.'}</p>
<div class="row"><vscode-label for="level">What may the report contain?</vscode-label>
<vscode-single-select id="level" aria-label="Consent level">${options}</vscode-single-select></div>
<div class="row"><vscode-label for="contact">How may the maintainers reach you? (an e-mail address, @github-handle, or leave empty)</vscode-label>
<vscode-textfield id="contact" placeholder="none" aria-label="Contact"></vscode-textfield></div>
<div class="row"><vscode-checkbox id="remember"${chosen ? ' checked' : ''}>Remember this level (setting heal.consentLevel)</vscode-checkbox></div>
<div class="row"><vscode-label>Preview — <span id="bytes"></span></vscode-label><pre id="preview" tabindex="0" aria-label="The exact bytes that would be sent"></pre></div>
<div id="status" role="status"></div>
<div class="actions"><vscode-button id="send">Send report</vscode-button><vscode-button id="cancel" secondary>Cancel</vscode-button></div>
<script nonce="${nonce}" type="module" src="${src(elementsJs)}"></script>
<script nonce="${nonce}" src="${src(viewJs)}"></script>
</body></html>`;
}
