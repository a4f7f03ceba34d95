// Terminal capture through the shell-integration API: every finished command becomes an OutputRecord.
import * as vscode from 'vscode';
import type { OutputRecord } from '../shared/capture';

/** Output kept per command; the tail is what names the failure. */
const MAX_CAPTURE = 512 * 1024;

export class TerminalCapture implements vscode.Disposable {
  private readonly buffers = new Map<vscode.TerminalShellExecution, { text: string; startedAt: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Whether a terminal with shell integration has been seen (Doctor reports it). */
  active = false;

  constructor(send: (record: OutputRecord) => void) {
    this.disposables.push(
      vscode.window.onDidChangeTerminalShellIntegration(() => {
        this.active = true;
      }),
      vscode.window.onDidStartTerminalShellExecution((e) => {
        this.active = true;
        const entry = { text: '', startedAt: new Date().toISOString() };
        this.buffers.set(e.execution, entry);
        // read() must be called at once, or early output is lost.
        const stream = e.execution.read();
        void (async () => {
          for await (const data of stream) {
            entry.text += data;
            if (entry.text.length > MAX_CAPTURE * 2) entry.text = entry.text.slice(-MAX_CAPTURE);
          }
        })();
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const entry = this.buffers.get(e.execution);
        this.buffers.delete(e.execution);
        // Let the reader drain what arrived with the end marker.
        setTimeout(() => {
          send({
            source: 'terminal',
            commandLine: e.execution.commandLine.value,
            cwd: e.execution.cwd?.fsPath,
            // No exit code (Ctrl-C, subshell): treated as a failure.
            exitCode: e.exitCode ?? 1,
            startedAt: entry?.startedAt ?? new Date().toISOString(),
            endedAt: new Date().toISOString(),
            text: entry?.text.slice(-MAX_CAPTURE) ?? '',
          });
        }, 50);
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
