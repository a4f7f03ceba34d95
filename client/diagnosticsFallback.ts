// Fallback capture: errors other tools already put in the Problems panel (task problem matchers, language
// servers) are handed to Heal as output lines in the compiler format its detectors read, so they get
// fingerprints and suggestions even where no terminal output is seen. Used only while no terminal with shell
// integration is active, to avoid counting the same failure twice.
import * as vscode from 'vscode';
import type { OutputRecord } from '../shared/capture';
import { problemAsOutputLine } from '../shared/detect/problemLine';

/** Diagnostics arrive in bursts while a tool runs; wait for them to settle. */
const SETTLE_MS = 1500;

export function registerDiagnosticsFallback(
  send: (record: OutputRecord) => void,
  enabled: () => boolean,
): vscode.Disposable {
  /** What was last sent per file, so an unchanged list is not sent again. */
  const sent = new Map<string, string>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const lines: string[] = [];
    for (const key of pending) {
      const uri = vscode.Uri.parse(key);
      const errors = vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source !== 'Heal' && d.severity === vscode.DiagnosticSeverity.Error);
      const text = errors
        .map((d) =>
          problemAsOutputLine({
            file: uri.fsPath,
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            message: d.message,
            source: d.source,
            code: typeof d.code === 'object' ? d.code.value : d.code,
          }),
        )
        .join('\n');
      if (sent.get(key) === text) continue;
      if (text) sent.set(key, text);
      else sent.delete(key);
      if (text) lines.push(text);
    }
    pending.clear();
    if (!lines.length || !enabled()) return;
    const now = new Date().toISOString();
    send({
      source: 'diagnostics',
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      exitCode: 1,
      startedAt: now,
      endedAt: now,
      text: lines.join('\n'),
    });
  };

  return vscode.Disposable.from(
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) if (uri.scheme === 'file') pending.add(uri.toString());
      if (pending.size && !timer) timer = setTimeout(flush, SETTLE_MS);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
