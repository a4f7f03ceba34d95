// Heal VS Code extension entry. Activation only schedules loading the extension proper (healClient.ts, bundled
// separately): loading the language client costs more than everything else, and it need not delay start-up.
import * as vscode from 'vscode';

type HealClient = typeof import('./healClient');
let loaded: Promise<HealClient> | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const file = context.asAbsolutePath('dist/healClient.js');
  loaded = new Promise<HealClient>((resolve, reject) =>
    setImmediate(() => {
      try {
        // A computed path, so the bundler leaves this require to run time.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const client = require(file) as HealClient;
        client.start(context);
        resolve(client);
      } catch (e) {
        void vscode.window.showErrorMessage(`Heal failed to start: ${(e as Error).message}`);
        reject(e);
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  await (await loaded?.catch(() => undefined))?.stop();
}
