// `npm run demo`: runs Heal over the failing example projects on a throw-away embedded store.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const store = mkdtempSync(path.join(tmpdir(), 'heal-demo-'));
const env = {
  ...process.env,
  HEAL_STORE: store,
  PATH: `${path.join(root, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
};

const examples = [
  ['ts-type-error', ['tsc', '--noEmit', '-p', '.']],
  ['node-missing-module', ['node', 'index.js']],
  ['python-missing-module', ['python3', 'main.py']],
  ['npm-script-typo', ['npm', 'run', 'biuld']],
];

const heal = (args, cwd) => spawnSync(process.execPath, [cli, ...args], { cwd, env, stdio: 'inherit' });

for (const [name, command] of examples) {
  const cwd = path.join(root, 'examples', name);
  console.log(`\n\x1b[1m━━ examples/${name}: heal run -- ${command.join(' ')}\x1b[0m`);
  heal(['run', '--', ...command], cwd);
}
console.log(`\n\x1b[1m━━ heal status\x1b[0m (store: ${store})`);
heal(['status'], root);
