// Heal language server: runs the engine on captured output and publishes diagnostics.
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { OutputNotification } from './protocol';
import { scanText } from '../shared/detect/scanner';

const connection = createConnection(ProposedFeatures.all);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.None },
  serverInfo: { name: 'heal' },
}));

connection.onNotification(OutputNotification.type, (record) => {
  const result = scanText(record.text, { context: { commandLine: record.commandLine, cwd: record.cwd, exitCode: record.exitCode } });
  connection.console.log(`heal: ${result.events.length} event(s) from ${record.source}`);
});

connection.listen();
