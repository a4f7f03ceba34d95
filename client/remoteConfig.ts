// `Heal: Configure Remote…`: the team's shared memory. The URL is a setting; the key lives in SecretStorage,
// never in settings files that end up in a repository.
import * as vscode from 'vscode';
import { readSettings, updateSetting } from './settings';

const KEY_SECRET = 'heal.remote.key';
const TOKEN_SECRET = 'heal.remote.token';

export interface RemoteSecrets {
  key?: string;
  token?: string;
}

export async function remoteSecrets(context: vscode.ExtensionContext): Promise<RemoteSecrets> {
  const [key, token] = await Promise.all([context.secrets.get(KEY_SECRET), context.secrets.get(TOKEN_SECRET)]);
  return { key, token };
}

export function registerRemoteConfig(context: vscode.ExtensionContext, changed: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    context.secrets.onDidChange((e) => (e.key === KEY_SECRET || e.key === TOKEN_SECRET) && changed()),
    vscode.commands.registerCommand('heal.configureRemote', async () => {
      const current = readSettings();
      const url = await vscode.window.showInputBox({
        title: 'Heal: shared memory (1/4)',
        prompt: 'Supabase project URL (empty to use only the local store)',
        value: current.remoteUrl,
        placeHolder: 'https://<project>.supabase.co',
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim() || /^https?:\/\/[^\s/]+/.test(v.trim())
            ? undefined
            : 'Enter an http(s) URL such as https://abc.supabase.co',
      });
      if (url === undefined) return;
      await updateSetting('remoteUrl', url.trim());
      if (!url.trim()) {
        await Promise.all([context.secrets.delete(KEY_SECRET), context.secrets.delete(TOKEN_SECRET)]);
        void vscode.window.showInformationMessage('Heal: shared memory off; Heal uses the local store only.');
        return;
      }
      const key = await vscode.window.showInputBox({
        title: 'Heal: shared memory (2/4)',
        prompt: 'Anon (public) key of the project; stored in VS Code SecretStorage, not in settings',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The key is needed to reach the project'),
      });
      if (key === undefined) return;
      const project = await vscode.window.showInputBox({
        title: 'Heal: shared memory (3/4)',
        prompt: 'The Heal project (team) whose patterns you share; your account must be a member of it',
        value: current.remoteProject,
        ignoreFocusOut: true,
        validateInput: (v) =>
          /^[A-Za-z0-9._-]{1,64}$/.test(v.trim())
            ? undefined
            : 'Letters, digits, dot, dash and underscore (at most 64)',
      });
      if (project === undefined) return;
      const token = await vscode.window.showInputBox({
        title: 'Heal: shared memory (4/4)',
        prompt:
          'Your access token (a JWT from your Supabase sign-in); stored in VS Code SecretStorage. Empty: keep the current one',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim() || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(v.trim()) ? undefined : 'A JWT has three dot-separated parts',
      });
      if (token === undefined) return;
      await updateSetting('remoteProject', project.trim());
      if (token.trim()) await context.secrets.store(TOKEN_SECRET, token.trim());
      await context.secrets.store(KEY_SECRET, key.trim());
      void vscode.window.showInformationMessage(
        `Heal: shared memory set to ${new URL(url.trim()).host}. Heal: Doctor shows whether it is reachable.`,
      );
    }),
  );
}
