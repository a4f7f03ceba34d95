// Heal VS Code extension: starts the language server; capture and views register here.
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = { documentSelector: [{ scheme: 'file' }], outputChannelName: 'Heal' };
  client = new LanguageClient('heal', 'Heal', serverOptions, clientOptions);
  await client.start();
  client.info('Heal started');
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
