// Without shell integration no terminal command reaches Heal. Say so once per machine, with the fallbacks.
import * as vscode from 'vscode';

const SHOWN_KEY = 'heal.shellIntegrationNoticeShown';
/** How long a new terminal gets to report shell integration (VS Code injects it within a second or two). */
const GRACE_MS = 10_000;

export function registerShellIntegrationNotice(context: vscode.ExtensionContext): vscode.Disposable {
  const check = (terminal: vscode.Terminal) => {
    if (context.globalState.get(SHOWN_KEY)) return;
    setTimeout(() => {
      if (terminal.shellIntegration || terminal.exitStatus || context.globalState.get(SHOWN_KEY)) return;
      void context.globalState.update(SHOWN_KEY, true);
      void vscode.window
        .showWarningMessage(
          `Heal: terminal "${terminal.name}" has no shell integration, so Heal cannot see its commands. Use Run Command with Heal, a heal task, or Scan Output instead.`,
          'Run Command with Heal…',
          'Scan Output…',
          'Open Doctor',
        )
        .then((choice) => {
          const commands: Record<string, string> = {
            'Run Command with Heal…': 'heal.runCommand',
            'Scan Output…': 'heal.scanOutput',
            'Open Doctor': 'heal.doctor',
          };
          const command = choice && commands[choice];
          if (command) void vscode.commands.executeCommand(command);
        });
    }, GRACE_MS);
  };
  // Terminals restored or opened before activation are checked too.
  for (const terminal of vscode.window.terminals) check(terminal);
  return vscode.window.onDidOpenTerminal(check);
}
