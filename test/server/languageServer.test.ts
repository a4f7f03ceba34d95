// The language server over its real protocol (stdio JSON-RPC), bundled from source like dist/server.js.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle } from '../cliHarness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { IssueItem } from '../../server/protocol';
import { scanText } from '../../shared/detect/scanner';
import { LocalStore } from '../../shared/store/localStore';
import { recordRun } from '../../shared/store/patterns';
import { applications } from '../../shared/apply/applications';
import { reportSection } from '../../shared/report/outbox';

const TSC_OUTPUT = "src/main.ts(3,25): error TS2552: Cannot find name 'greting'. Did you mean 'greeting'?\n";

let server: ChildProcess;
let conn: MessageConnection;
let ws: string;
let other: string;
let storeDir: string;
const diagnostics = new Map<string, Diagnostic[]>();
const waiters: Array<() => void> = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-ls-'));
  const outfile = path.join(dir, 'server.js');
  await bundle('server/server.ts', outfile, { define: { HEAL_VERSION: '"test"' } });
  ws = path.join(dir, 'ws');
  other = path.join(dir, 'other');
  for (const root of [ws, other]) {
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(
      path.join(root, 'src/main.ts'),
      "function greeting(n: string) { return n; }\n\nconst message: string = greting('world');\n",
    );
  }
  server = spawn(process.execPath, [outfile, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p.diagnostics);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onNotification(() => undefined);
  conn.onRequest(() => null);
  conn.listen();
  const folder = (p: string) => ({ uri: pathToFileURL(p).toString(), name: path.basename(p) });
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folder(ws).uri,
    workspaceFolders: [folder(ws), folder(other)],
    capabilities: {},
    initializationOptions: {
      storeDir: (storeDir = path.join(dir, 'store')),
      settings: { enabled: true, autoApply: 'off', verifyTimeoutSeconds: 10, trusted: true },
    },
  });
  await conn.sendNotification('initialized', {});
}, 60_000);

afterAll(() => {
  conn?.dispose();
  server?.kill();
});

function output(cwd: string, commandLine: string, text: string, exitCode = 2) {
  const now = new Date().toISOString();
  return conn.sendNotification('heal/output', {
    source: 'terminal',
    commandLine,
    cwd,
    exitCode,
    startedAt: now,
    endedAt: now,
    text,
  });
}

async function diagnosticsOf(file: string): Promise<Diagnostic[]> {
  const uri = pathToFileURL(file).toString();
  for (let i = 0; i < 100 && !diagnostics.get(uri)?.length; i++) await new Promise<void>((r) => waiters.push(r));
  return diagnostics.get(uri) ?? [];
}

describe('the language server', () => {
  it('publishes a diagnostic on the file the output names, linked to the output and an explanation', async () => {
    await output(ws, 'tsc -p .', TSC_OUTPUT);
    const [d] = await diagnosticsOf(path.join(ws, 'src/main.ts'));
    expect(d).toMatchObject({ source: 'Heal', range: { start: { line: 2, character: 24 } } });
    expect(d.message).toContain('Replace `greting` with `greeting`');
    expect(d.codeDescription?.href).toMatch(/^heal-explain:\/[0-9a-f]+\.md$/);
    const captured = d.relatedInformation?.find((r) => r.location.uri.startsWith('heal-output:'));
    expect(captured?.message).toBe('Output of `tsc -p .`');
    const text = await conn.sendRequest<string | null>('heal/virtualDocument', { uri: captured!.location.uri });
    expect(text?.split('\n')[captured!.location.range.start.line]).toContain('TS2552');
    const explanation = await conn.sendRequest<string>('heal/virtualDocument', { uri: d.codeDescription!.href });
    expect(explanation).toMatch(/^# tsc\//);
    expect(explanation).toContain('Replace `greting` with `greeting`');
  });

  it('offers the top suggestion as the preferred quick fix; resolve computes its edits, then verification runs', async () => {
    const file = path.join(ws, 'src/main.ts');
    const before = readFileSync(file);
    const [d] = await diagnosticsOf(file);
    const uri = pathToFileURL(file).toString();
    const actions = await conn.sendRequest<Array<{ title: string; isPreferred?: boolean; data: unknown }>>(
      'textDocument/codeAction',
      { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } },
    );
    expect(actions[0]).toMatchObject({ isPreferred: true });
    expect(actions[0].title).toContain('greeting');
    const resolved = await conn.sendRequest<{
      edit?: {
        changes: Record<string, Array<{ range: { start: { line: number; character: number } }; newText: string }>>;
      };
      command?: { command: string; arguments: string[] };
    }>('codeAction/resolve', actions[0]);
    expect(resolved.edit?.changes[uri]).toEqual([
      { range: { start: { line: 2, character: 24 }, end: { line: 2, character: 31 } }, newText: 'greeting' },
    ]);
    expect(resolved.command?.command).toBe('heal.server.verifyEdit');
    // The editor applies the edit; re-running `tsc -p .` no longer shows the error: verified, diagnostics cleared.
    writeFileSync(file, before.toString().replace("greting('world')", "greeting('world')"));
    const result = await conn.sendRequest<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: resolved.command!.command,
      arguments: resolved.command!.arguments,
    });
    expect(result).toMatchObject({ ok: true, message: 'verified' });
    expect(diagnostics.get(uri)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain("greeting('world')");
  }, 60_000);

  it('answers issues per workspace folder, with occurrences that open the captured output', async () => {
    await output(ws, 'tsc -p .', TSC_OUTPUT);
    await output(other, 'node app.js', "Error: Cannot find module 'left-pad'\nRequire stack:\n- /x/app.js\n", 1);
    const all = await conn.sendRequest<IssueItem[]>('heal/issues', {});
    const inWs = await conn.sendRequest<IssueItem[]>('heal/issues', { folders: [ws] });
    const inOther = await conn.sendRequest<IssueItem[]>('heal/issues', { folders: [other] });
    expect(all.length).toBe(inWs.length + inOther.length);
    expect(inWs.map((i) => i.tool)).toEqual(['tsc']);
    expect(inOther.map((i) => i.message).join()).toContain('left-pad');
    expect(inWs[0].occurrences[0]).toMatchObject({
      commandLine: 'tsc -p .',
      output: { uri: expect.stringMatching(/^heal-output:/) },
    });
  });

  it('clears the diagnostics when the same command later passes', async () => {
    await output(ws, 'tsc -p .', '', 0);
    await conn.sendRequest('heal/issues', {}); // answered once the record is handled
    expect(diagnostics.get(pathToFileURL(path.join(ws, 'src/main.ts')).toString())).toEqual([]);
    expect((await conn.sendRequest<IssueItem[]>('heal/issues', { folders: [ws] })).length).toBe(0);
  });

  it('answers a summary of a run: failures by root cause, each with its fix (what a heal task prints)', async () => {
    const now = new Date().toISOString();
    const lines = await conn.sendRequest<string[]>('heal/outputSummary', {
      source: 'task',
      commandLine: 'tsc -p .',
      cwd: other,
      exitCode: 2,
      startedAt: now,
      endedAt: now,
      text: TSC_OUTPUT,
    });
    expect(lines[0]).toBe('Heal: 1 root cause(s) of 1 error(s)');
    expect(lines[1]).toContain("Cannot find name 'greting'");
    expect(lines[2]).toContain('Replace `greting` with `greeting`');
  });

  it('with heal.autoApply safe, applies a remembered fix with a track record by itself and verifies it', async () => {
    const text = "Error: Cannot find module 'auto-pad'\nRequire stack:\n- /x/app.js\n";
    const [event] = scanText(text).events;
    const fix = {
      id: 'fix-mkdir-build',
      kind: 'command' as const,
      command: 'mkdir -p build',
      description: 'Create the build folder',
    };
    await new LocalStore(storeDir).update((data) => {
      recordRun(data, [event], { source: 'test' });
      Object.assign(data.patterns[event.fingerprint], {
        fixes: [fix],
        counts: { seen: 30, fixed: 30, failed: 0 },
        confidence: 0.95,
      });
    });
    const settings = { enabled: true, autoApply: 'safe', verifyTimeoutSeconds: 10, trusted: true };
    await conn.sendNotification('heal/settings', settings);
    await output(other, 'test -d build', text, 1);
    await conn.sendRequest('heal/issues', {});
    let applied;
    for (let i = 0; i < 100 && !applied; i++) {
      applied = Object.values(applications.get(await new LocalStore(storeDir).read())).find(
        (a) => a.fixId === fix.id && a.state === 'verified',
      );
      if (!applied) await new Promise((r) => setTimeout(r, 100));
    }
    expect(applied).toMatchObject({ auto: true, state: 'verified' });
    // Off again: the same failure is only suggested.
    await conn.sendNotification('heal/settings', { ...settings, autoApply: 'off' });
  }, 30_000);

  it('tells about a resolved report exactly once (from the local cache)', async () => {
    await new LocalStore(storeDir).update((data) => {
      const r = reportSection.get(data);
      r.filed.push({
        id: 'r-1',
        at: new Date().toISOString(),
        summary: 'tsc/name-not-found e404a94f1adee6d1',
        status: 'resolved',
        note: 'fixed in 1.2',
        notified: false,
      });
      reportSection.set(data, r);
    });
    expect(await conn.sendRequest('heal/resolvedReports', {})).toEqual([
      { summary: 'tsc/name-not-found e404a94f1adee6d1', note: 'fixed in 1.2' },
    ]);
    expect(await conn.sendRequest('heal/resolvedReports', {})).toEqual([]);
  });

  it('reports the circuit breaker closed and runs the doctor checks', async () => {
    expect(await conn.sendRequest('heal/breaker', {})).toEqual({ state: 'closed' });
    const checks = await conn.sendRequest<Array<{ id: string; status: string }>>('heal/doctor', { remote: false });
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['node', 'store', 'breaker']));
  });
});

describe('reports from the editor', () => {
  it('the preview is the exact bytes Send sends, and nothing is sent before', async () => {
    const { startReportServer } = await import('../report/reportServer');
    const reports = await startReportServer();
    try {
      await output(ws, 'tsc -p .', TSC_OUTPUT);
      const preview = await conn.sendRequest<{ ok: boolean; body: string }>('heal/report', {
        consent: 'standard',
        contact: '@octocat',
        send: false,
      });
      expect(preview.ok).toBe(true);
      expect(JSON.parse(preview.body)).toMatchObject({
        consent: 'standard',
        contact: { kind: 'github', value: 'octocat' },
        failure: { tool: 'tsc' },
      });
      expect(reports.requests).toHaveLength(0);
      const bad = await conn.sendRequest<{ ok: boolean; message: string }>('heal/report', {
        consent: 'standard',
        contact: 'not a handle--',
        send: false,
      });
      expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('GitHub handle') });
      const sent = await conn.sendRequest<{ ok: boolean; result: string }>('heal/report', {
        consent: 'standard',
        contact: '@octocat',
        endpoint: reports.url,
        send: true,
      });
      expect(sent).toMatchObject({ ok: true, result: 'sent' });
      expect(reports.requests.map((r) => r.body)).toEqual([preview.body]);
    } finally {
      await reports.close();
    }
  });
});
