// The extension's settings, read in one place with their types and defaults (package.json declares them).
import * as vscode from 'vscode';

export type ConsentLevel = 'ask' | 'minimal' | 'standard' | 'full';

export interface ExtensionSettings {
  enabled: boolean;
  autoApply: 'off' | 'safe';
  captureTerminal: boolean;
  captureTasks: boolean;
  verifyTimeoutSeconds: number;
  remoteUrl: string;
  remoteProject: string;
  consentLevel: ConsentLevel;
}

export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('heal', scope);
  return {
    enabled: c.get('enabled', true),
    autoApply: c.get('autoApply', 'off'),
    captureTerminal: c.get('capture.terminal', true),
    captureTasks: c.get('capture.tasks', true),
    verifyTimeoutSeconds: c.get('verify.timeoutSeconds', 120),
    remoteUrl: c.get('remote.url', '').trim(),
    remoteProject: c.get('remote.project', '').trim(),
    consentLevel: c.get('consentLevel', 'ask'),
  };
}

/** The settings the extension itself writes (user scope), by their typed names. */
const WRITABLE = { remoteUrl: 'remote.url', remoteProject: 'remote.project', consentLevel: 'consentLevel' } as const;

export function updateSetting<K extends keyof typeof WRITABLE>(key: K, value: ExtensionSettings[K]): Thenable<void> {
  return vscode.workspace.getConfiguration('heal').update(WRITABLE[key], value, vscode.ConfigurationTarget.Global);
}

/**
 * The PATH the integrated terminal gets (`terminal.integrated.env.<platform>`, `${env:NAME}` expanded): fixes and
 * verification re-runs must find the same programs the failed command found there.
 */
export function terminalPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
  const overlay =
    vscode.workspace.getConfiguration('terminal.integrated').get<Record<string, string | null>>(`env.${platform}`) ??
    {};
  const key = Object.keys(overlay).find((k) => k.toUpperCase() === 'PATH');
  const value = key ? overlay[key] : undefined;
  if (typeof value !== 'string') return undefined;
  return value.replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => env[name] ?? '');
}
