// bench/editor: the language server measured over its real protocol (stdio JSON-RPC), plus the VSIX size.
// Latency: from sending a failed command's output to receiving its diagnostics (p50/p95 over 50 runs).
// Memory: server RSS after 10 000 output records, next to an idle Node process as the peer.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
execFileSync(
  path.join(root, 'node_modules/.bin/vsce'),
  ['package', '--no-dependencies', '-o', path.join(root, 'heal.vsix')],
  { cwd: root, stdio: 'ignore' },
);
const vsixBytes = statSync(path.join(root, 'heal.vsix')).size;

const ws = mkdtempSync(path.join(tmpdir(), 'heal-bench-editor-'));
mkdirSync(path.join(ws, 'src'));
writeFileSync(path.join(ws, 'src/a.ts'), 'const total = 1;\nconsole.log(totl);\n');
// Started with the flags client/healClient.ts gives it.
const server = spawn(
  process.execPath,
  [
    ...(process.env.SERVER_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' '),
    path.join(root, 'dist/server.js'),
    '--stdio',
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const waiting = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  if (p.diagnostics.length) waiting.shift()?.();
});
conn.onNotification(() => undefined);
conn.onRequest(() => null);
conn.listen();
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(ws).toString(),
  workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }],
  capabilities: {},
  initializationOptions: {
    storeDir: path.join(ws, '.heal'),
    settings: { enabled: true, autoApply: 'off', verifyTimeoutSeconds: 120, trusted: true },
  },
});
await conn.sendNotification('initialized', {});

const record = (i) => ({
  source: 'terminal',
  commandLine: `tsc -p . #${i}`,
  cwd: ws,
  exitCode: 2,
  startedAt: new Date().toISOString(),
  endedAt: new Date().toISOString(),
  text: "src/a.ts(2,13): error TS2552: Cannot find name 'totl'. Did you mean 'total'?\n",
});
const times = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  await new Promise((resolve) => {
    waiting.push(resolve);
    void conn.sendNotification('heal/output', record(i));
  });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);

// 10 000 events: 1 000 records of 10 distinct errors each, then a request so all are processed.
for (let i = 0; i < 1000; i++) {
  const text = Array.from(
    { length: 10 },
    (_, k) => `src/a.ts(${k + 1},1): error TS2304: Cannot find name 'n${i % 50}_${k}'.`,
  ).join('\n');
  void conn.sendNotification('heal/output', { ...record(i), text, exitCode: 2 });
}
await conn.sendRequest('heal/issues', {});
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const serverRss = rss(server.pid);
const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 2000)']);
await new Promise((r) => setTimeout(r, 500));
const idleRss = rss(idle.pid);
idle.kill();
server.kill();

console.log(
  `diagnostics after a failed command (server, stdio, 50 runs): p50 ${times[25].toFixed(1)} ms, p95 ${times[47].toFixed(1)} ms (target p95 < 200 ms)`,
);
console.log(
  `server RSS after 10 000 events: ${serverRss.toFixed(0)} MB; idle node: ${idleRss.toFixed(0)} MB; ratio ${(serverRss / idleRss).toFixed(1)} (target < 100 MB)`,
);
console.log(`VSIX: ${(vsixBytes / 1024).toFixed(0)} KB (target < 2 MB)`);
process.exit(0);
