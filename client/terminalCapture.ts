// Terminal capture through the shell-integration API: every finished command becomes an OutputRecord.
import * as vscode from 'vscode';
import type { OutputRecord } from '../shared/capture';

/** Output kept per command; the tail is what names the failure. */
const MAX_CAPTURE = 512 * 1024;
/** How long the end of a command waits for the rest of its output to be read. */
const DRAIN_LIMIT_MS = 500;

export class TerminalCapture implements vscode.Disposable {
  private readonly buffers = new Map<
    vscode.TerminalShellExecution,
    { text: string; startedAt: string; drained: Promise<void> }
  >();
  private readonly disposables: vscode.Disposable[] = [];
  /** Whether a terminal with shell integration has been seen (Doctor reports it). */
  active = false;

  /** `send` gets each finished command and when VS Code reported its end (performance.now()). */
  constructor(send: (record: OutputRecord, endedAt: number) => void) {
    this.disposables.push(
      vscode.window.onDidChangeTerminalShellIntegration(() => {
        this.active = true;
      }),
      vscode.window.onDidStartTerminalShellExecution((e) => {
        this.active = true;
        // read() must be called at once, or early output is lost.
        const stream = e.execution.read();
        const entry = { text: '', startedAt: new Date().toISOString(), drained: Promise.resolve() };
        entry.drained = (async () => {
          for await (const data of stream) {
            entry.text += data;
            if (entry.text.length > MAX_CAPTURE * 2) entry.text = entry.text.slice(-MAX_CAPTURE);
          }
        })().catch(() => undefined);
        this.buffers.set(e.execution, entry);
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const endedAt = performance.now();
        const entry = this.buffers.get(e.execution);
        this.buffers.delete(e.execution);
        // The stream ends with the execution; wait for what arrived with the end marker, but not for long.
        void Promise.race([entry?.drained, new Promise((r) => setTimeout(r, DRAIN_LIMIT_MS))]).then(() => {
          send(
            {
              source: 'terminal',
              commandLine: e.execution.commandLine.value,
              cwd: e.execution.cwd?.fsPath,
              // No exit code (Ctrl-C, subshell): treated as a failure.
              exitCode: e.exitCode ?? 1,
              startedAt: entry?.startedAt ?? new Date().toISOString(),
              endedAt: new Date().toISOString(),
              text: entry?.text.slice(-MAX_CAPTURE) ?? '',
            },
            endedAt,
          );
        });
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
