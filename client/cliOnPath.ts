// The bundled `heal` CLI on the integrated terminal's PATH, run by the editor's own runtime (VS Code ships no
// `node` on PATH; its executable acts as Node with ELECTRON_RUN_AS_NODE), as a shell script and a .cmd file.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as vscode from 'vscode';

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function cliShims(runtime: string, cli: string): { heal: string; 'heal.cmd': string } {
  return {
    heal: `#!/bin/sh\n# The Heal CLI bundled with the extension (written at activation).\nELECTRON_RUN_AS_NODE=1 exec ${sh(runtime)} ${sh(cli)} "$@"\n`,
    'heal.cmd': `@echo off\r\nrem The Heal CLI bundled with the extension (written at activation).\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${runtime}" "${cli}" %*\r\n`,
  };
}

/** Writes the shims into the extension's storage and prepends their folder to the terminals' PATH. */
export async function putCliOnPath(context: vscode.ExtensionContext): Promise<string> {
  const dir = path.join(context.globalStorageUri.fsPath, 'bin');
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(cliShims(process.execPath, context.asAbsolutePath('dist/cli.js')))) {
    await writeFile(path.join(dir, name), text);
    if (name === 'heal') await chmod(path.join(dir, name), 0o755);
  }
  context.environmentVariableCollection.prepend('PATH', dir + path.delimiter);
  context.environmentVariableCollection.description = 'Puts the bundled `heal` CLI on PATH.';
  return dir;
}
