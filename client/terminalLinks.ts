// Error lines in the terminal become links to the Heal Issues view (terminal quick fixes are still a proposed API).
import * as vscode from 'vscode';
import { stripAnsi } from '../shared/capture';
import { scanText } from '../shared/detect/scanner';

interface HealLink extends vscode.TerminalLink {
  fingerprint: string;
}

/** `reveal` shows the link's issue in the Issues view. */
export function registerTerminalLinks(reveal: (fingerprint: string) => Thenable<unknown>): vscode.Disposable {
  return vscode.window.registerTerminalLinkProvider({
    provideTerminalLinks(context): HealLink[] {
      const line = stripAnsi(context.line);
      if (line.length > 2000) return [];
      const [event] = scanText(line).events;
      if (!event || event.severity !== 'error') return [];
      const start = Math.max(0, line.indexOf(event.message.slice(0, 20)));
      return [
        {
          startIndex: start,
          length: Math.min(line.length - start, Math.max(event.message.length, 1)),
          tooltip: `Heal: ${event.tool}/${event.category} — show in Issues`,
          fingerprint: event.fingerprint,
        },
      ];
    },
    handleTerminalLink(link: HealLink) {
      void reveal(link.fingerprint);
    },
  });
}
