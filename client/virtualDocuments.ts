// Read-only documents the server produces: captured output (`heal-output:`) and explanations (`heal-explain:`),
// which diagnostics link to (related information, code link) and the Issues view opens.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VirtualDocumentRequest } from '../server/protocol';

export function registerVirtualDocuments(client: () => LanguageClient | undefined): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const text = await client()?.sendRequest(VirtualDocumentRequest.type, { uri: uri.toString(true) });
      return text ?? 'This output is no longer kept (Heal keeps the last 20 captured outputs of the session).';
    },
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider('heal-output', provider),
    vscode.workspace.registerTextDocumentContentProvider('heal-explain', provider),
  );
}
