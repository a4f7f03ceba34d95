// Bundles the extension client, the language server and the CLI into dist/.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // Keeps `import.meta.url` usable in the CommonJS bundles.
  define: { 'import.meta.url': 'importMetaUrl', HEAL_VERSION: JSON.stringify(version), HEAL_SPLIT_CLIENT: 'true' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // In dist/supabaseClient.js only (see shared/remote/clientLibraries.ts).
  external: ['@supabase/supabase-js', 'ws'],
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'client/extension.ts' },
    outdir: 'dist',
    external: ['vscode', ...common.external],
  },
  // Loaded by extension.ts right after activation, so activation itself stays small.
  {
    ...common,
    entryPoints: { healClient: 'client/healClient.ts' },
    outdir: 'dist',
    external: ['vscode', ...common.external],
  },
  { ...common, entryPoints: { server: 'server/server.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { cli: 'client/cli/bin.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    define: {},
  },
  { ...common, entryPoints: { cliMain: 'client/cli/main.ts' }, outdir: 'dist' },
  // backfill's scan threads: the scanner and its detectors only.
  { ...common, entryPoints: { scanWorker: 'shared/backfill/scanWorkerEntry.ts' }, outdir: 'dist' },
  // supabase-js and ws, loaded by the CLI and the server only when a shared memory is configured.
  { ...common, entryPoints: { supabaseClient: 'shared/remote/supabaseClientEntry.ts' }, outdir: 'dist', external: [] },
];

// Scripts the webviews load (local files only: the webviews allow no remote content).
mkdirSync('dist/webview', { recursive: true });
copyFileSync('node_modules/chart.js/dist/chart.umd.min.js', 'dist/webview/chart.umd.min.js');
copyFileSync('node_modules/@vscode-elements/elements/dist/bundled.js', 'dist/webview/vscode-elements.js');

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
