// `Heal: Show Metrics`: the store's metrics as charts (Chart.js) in a webview with a strict CSP: local scripts
// with a nonce, no remote content, colours from the editor theme.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Metrics } from '../shared/metrics/metrics';

export function registerMetricsPanel(
  context: vscode.ExtensionContext,
  metrics: (days: number) => Promise<Metrics>,
): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  let days = 30;
  const post = async () => panel && void panel.webview.postMessage({ type: 'metrics', metrics: await metrics(days) });
  return vscode.commands.registerCommand('heal.showMetrics', async () => {
    if (panel) {
      panel.reveal();
      return post();
    }
    const root = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    panel = vscode.window.createWebviewPanel('heal.metrics', 'Heal: Metrics', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [root, media],
      retainContextWhenHidden: false,
    });
    panel.onDidDispose(() => (panel = undefined));
    panel.webview.onDidReceiveMessage((m: { type?: string; days?: number }) => {
      if (m.type === 'refresh' && Number.isInteger(m.days) && m.days! > 0) days = m.days!;
      if (m.type === 'ready' || m.type === 'refresh') void post();
    });
    panel.webview.html = html(
      panel.webview,
      vscode.Uri.joinPath(root, 'chart.umd.min.js'),
      vscode.Uri.joinPath(root, 'vscode-elements.js'),
      vscode.Uri.joinPath(media, 'metricsView.js'),
    );
  });
}

function html(webview: vscode.Webview, chartJs: vscode.Uri, elementsJs: vscode.Uri, viewJs: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const src = (u: vscode.Uri) => webview.asWebviewUri(u).toString();
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource} 'nonce-${nonce}'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Heal: Metrics</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
header { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
#tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 12px 0; }
.tile { border: 1px solid var(--vscode-panel-border); padding: 8px 12px; }
.tile .value { font-size: 1.8em; font-weight: 600; } .tile .detail { opacity: 0.8; font-size: 0.9em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
.chart { position: relative; height: 240px; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
</style></head><body>
<header><h1>Heal: Metrics</h1><span id="window"></span>
<vscode-single-select id="days" aria-label="Window"><vscode-option value="7">7 days</vscode-option><vscode-option value="30" selected>30 days</vscode-option><vscode-option value="90">90 days</vscode-option></vscode-single-select>
<vscode-button id="refresh">Refresh</vscode-button></header>
<section id="tiles" aria-label="Rates"></section>
<section class="charts">
<figure><figcaption>Failed commands per day</figcaption><div class="chart"><canvas id="failures" role="img" aria-label="Failed and recognised commands per day"></canvas></div></figure>
<figure><figcaption>Fixes per day</figcaption><div class="chart"><canvas id="fixes" role="img" aria-label="Fixes applied and verified per day"></canvas></div></figure>
<figure><figcaption>Pattern growth and daily cost</figcaption><div class="chart"><canvas id="growth" role="img" aria-label="Patterns remembered and remote calls per day"></canvas></div></figure>
<figure><figcaption>Top errors</figcaption><div class="chart"><canvas id="top" role="img" aria-label="Top errors by time lost"></canvas></div></figure>
</section>
<h2>Top errors by occurrences</h2>
<table id="top-table"><thead><tr><th>Error</th><th>Tool</th><th>Seen</th><th>Time lost</th><th>Time to resolution</th><th></th></tr></thead><tbody></tbody></table>
<script nonce="${nonce}" src="${src(chartJs)}"></script>
<script nonce="${nonce}" type="module" src="${src(elementsJs)}"></script>
<script nonce="${nonce}" src="${src(viewJs)}"></script>
</body></html>`;
}
