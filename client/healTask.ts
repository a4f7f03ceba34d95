// The `heal` task type: a pseudoterminal that runs the real command, so Heal sees every byte and the exit code
// (VS Code offers no way to read another task's output).
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import type { OutputRecord } from '../shared/capture';

interface HealTaskDefinition extends vscode.TaskDefinition {
  command: string;
  cwd?: string;
}

const MAX_CAPTURE = 512 * 1024;

class HealPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private child: ReturnType<typeof spawn> | undefined;

  constructor(
    private readonly command: string,
    private readonly cwd: string,
    /** Hands the record to Heal; answers the summary to print (failures by root cause, each with its fix). */
    private readonly send: (record: OutputRecord) => Promise<string[]>,
  ) {}

  open(): void {
    const startedAt = new Date().toISOString();
    let captured = '';
    this.writer.fire(`\x1b[2m> ${this.command}\x1b[0m\r\n`);
    this.child = spawn(this.command, { cwd: this.cwd, shell: true, env: { ...process.env, FORCE_COLOR: '1' } });
    const onData = (data: Buffer) => {
      const text = data.toString('utf8');
      captured += text;
      if (captured.length > MAX_CAPTURE * 2) captured = captured.slice(-MAX_CAPTURE);
      this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.child.on('error', (e) => onData(Buffer.from(`heal: ${this.command}: ${e.message}\n`)));
    this.child.on('close', async (code) => {
      const exitCode = code ?? 1;
      this.writer.fire(`\r\n\x1b[2m[exit ${exitCode}]\x1b[0m\r\n`);
      const record = {
        source: 'task' as const,
        commandLine: this.command,
        cwd: this.cwd,
        exitCode,
        startedAt,
        endedAt: new Date().toISOString(),
        text: captured.slice(-MAX_CAPTURE),
      };
      // The summary, if Heal answers in time; the task ends either way.
      const lines = await Promise.race([
        this.send(record).catch(() => []),
        new Promise<string[]>((r) => setTimeout(() => r([]), 5000)),
      ]);
      if (lines.length) this.writer.fire(`\r\n${lines.map((l) => `\x1b[1m${l}\x1b[0m`).join('\r\n')}\r\n`);
      this.closer.fire(exitCode);
    });
  }

  handleInput(data: string): void {
    if (data === '\x03') this.child?.kill('SIGINT');
    else this.child?.stdin?.write(data);
  }

  close(): void {
    this.child?.kill('SIGTERM');
  }
}

export function registerHealTasks(send: (record: OutputRecord) => Promise<string[]>): vscode.Disposable {
  return vscode.tasks.registerTaskProvider('heal', {
    provideTasks: () => [],
    resolveTask(task) {
      const def = task.definition as HealTaskDefinition;
      if (!def.command) return undefined;
      const folder =
        typeof task.scope === 'object'
          ? task.scope.uri.fsPath
          : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd());
      const cwd = def.cwd ?? folder;
      return new vscode.Task(
        def,
        task.scope ?? vscode.TaskScope.Workspace,
        task.name,
        'heal',
        new vscode.CustomExecution(async () => new HealPty(def.command, cwd, send)),
      );
    },
  });
}
