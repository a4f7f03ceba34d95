// `Heal: Configure Remote…`: the team's shared memory. The URL is a setting; the key lives in SecretStorage,
// never in settings files that end up in a repository.
import * as vscode from 'vscode';

const KEY_SECRET = 'heal.remote.key';

export function remoteKey(context: vscode.ExtensionContext): Thenable<string | undefined> {
  return context.secrets.get(KEY_SECRET);
}

export function registerRemoteConfig(context: vscode.ExtensionContext, changed: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    context.secrets.onDidChange((e) => e.key === KEY_SECRET && changed()),
    vscode.commands.registerCommand('heal.configureRemote', async () => {
      const config = vscode.workspace.getConfiguration('heal');
      const url = await vscode.window.showInputBox({
        title: 'Heal: shared memory (1/2)',
        prompt: 'Supabase project URL (empty to use only the local store)',
        value: config.get<string>('remote.url', ''),
        placeHolder: 'https://<project>.supabase.co',
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() || /^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'Enter an http(s) URL such as https://abc.supabase.co'),
      });
      if (url === undefined) return;
      await config.update('remote.url', url.trim(), vscode.ConfigurationTarget.Global);
      if (!url.trim()) {
        await context.secrets.delete(KEY_SECRET);
        void vscode.window.showInformationMessage('Heal: shared memory off; Heal uses the local store only.');
        return;
      }
      const key = await vscode.window.showInputBox({
        title: 'Heal: shared memory (2/2)',
        prompt: 'Anon (public) key of the project; stored in VS Code SecretStorage, not in settings',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The key is needed to reach the project'),
      });
      if (key === undefined) return;
      await context.secrets.store(KEY_SECRET, key.trim());
      void vscode.window.showInformationMessage(`Heal: shared memory set to ${new URL(url.trim()).host}. Heal: Doctor shows whether it is reachable.`);
    }),
  );
}
