// The engine (shared/) and the CLI stay editor-agnostic: ESLint, with the repository's own config, rejects every way
// of reaching vscode or an LSP package from a file under shared/ (and client/cli/).
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were a file at `relative` (nothing is written: other work in the checkout is not disturbed). */
async function restricted(code: string, relative = 'shared/lintBoundaryProbe.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relative) });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const forbidden: Array<[string, string]> = [
  ['static import of vscode', "import * as vscode from 'vscode';\nexport const w = vscode.window;\n"],
  [
    'type-only import of vscode-languageserver-types',
    "import type { Position } from 'vscode-languageserver-types';\nexport type P = Position;\n",
  ],
  [
    'import of vscode-languageserver-types',
    "import { Position } from 'vscode-languageserver-types';\nexport const p = Position.create(0, 0);\n",
  ],
  [
    'subpath of vscode-languageserver',
    "import { createConnection } from 'vscode-languageserver/node';\nexport const c = createConnection;\n",
  ],
  [
    're-export from vscode-languageserver-protocol',
    "export { DiagnosticSeverity } from 'vscode-languageserver-protocol';\n",
  ],
  ['dynamic import of vscode', "export async function load() {\n  return import('vscode');\n}\n"],
  ['dynamic import in a template literal', 'export async function load() {\n  return import(`vscode`);\n}\n'],
  [
    'dynamic import of an LSP package',
    "export async function load() {\n  return import('vscode-languageclient/node');\n}\n",
  ],
  [
    'require of vscode',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const vscode = require('vscode');\n",
  ],
  [
    'require of vscode-jsonrpc',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const rpc = require('vscode-jsonrpc');\n",
  ],
  [
    'import = require',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nimport vscode = require('vscode');\nexport const w = vscode.window;\n",
  ],
  ['type import() of vscode', "export type U = import('vscode').Uri;\n"],
];

describe('ESLint keeps vscode and LSP packages out of shared/', () => {
  for (const [name, code] of forbidden) {
    it(`rejects ${name}`, async () => {
      const messages = await restricted(code);
      expect(messages.length, messages.join('\n')).toBeGreaterThan(0);
      expect(messages.join('\n')).toContain('shared/ is the engine');
    });
  }

  it('the same forms are rejected in the CLI', async () => {
    for (const [, code] of forbidden)
      expect(await restricted(code, 'client/cli/lintBoundaryProbe.ts'), code).not.toEqual([]);
  });

  it('allows node built-ins, relative modules and packages that merely start with "vscode" in their path elsewhere', async () => {
    const ok = [
      "import * as fs from 'node:fs';\nexport const r = fs.readFileSync;\n",
      "import { scanText } from './detect/scanner';\nexport const s = scanText;\n",
      "export async function load() {\n  return import('node:path');\n}\n",
      "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const y = require('yaml');\n",
      "import { URI } from 'vscode-uri-like';\nexport const u = URI;\n",
    ];
    for (const code of ok) expect(await restricted(code), code).toEqual([]);
  });

  it('the language server may use LSP packages but not vscode', async () => {
    expect(
      await restricted(
        "import { createConnection } from 'vscode-languageserver/node';\nexport const c = createConnection;\n",
        'server/lintBoundaryProbe.ts',
      ),
    ).toEqual([]);
    expect(
      await restricted(
        "export async function load() {\n  return import('vscode');\n}\n",
        'server/lintBoundaryProbe.ts',
      ),
    ).not.toEqual([]);
  });
});
