// bench/lookup: bundles lookup.ts (TypeScript, engine + test stack) and runs it; see lookup.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(mkdtempSync(path.join(tmpdir(), 'heal-bench-lookup-js-')), 'lookup.js');
// Each source file keeps its own __dirname (the test stack finds its SQL next to it).
const ownDirname = {
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\/(bench|test|shared)\/.*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('__dirname', JSON.stringify(path.dirname(args.path))),
      loader: 'ts',
    }));
  },
};
await build({
  entryPoints: [path.join(here, 'lookup.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: out,
  logLevel: 'error',
  external: ['pg-native'],
  plugins: [ownDirname],
});
execFileSync(process.execPath, ['--max-old-space-size=4096', out], { stdio: 'inherit' });
