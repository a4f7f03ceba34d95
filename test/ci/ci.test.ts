import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotation, escapeData, escapeProperty } from '../../shared/ci/annotations';
import { jobSummary } from '../../shared/ci/jobSummary';
import { sarifLog } from '../../shared/ci/sarif';
import AjvDraft04 from 'ajv-draft-04';
import { scanText } from '../../shared/detect/scanner';
import { runCli } from '../cliHarness';
import { fixture } from '../detect/expectEvents';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'heal-ci-'));

describe('GitHub Actions annotations', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('C:\\a,b.ts')).toBe('C%3A\\a%2Cb.ts');
  });

  it('point at the file and line, with title and suggestion', () => {
    const [e] = scanText("src/a,b.ts(3,13): error TS2304: Cannot find name 'foo'.").events;
    expect(annotation(e, { suggestion: 'npm i -D @types/foo' })).toBe(`::error file=src/a%2Cb.ts,line=3,col=13,title=heal%3A tsc/name-not-found::TS2304: Cannot find name 'foo'.%0ASuggested fix: npm i -D @types/foo%0Afingerprint ${e.fingerprint}`);
  });
});

describe('job summary', () => {
  it('groups failures by root cause and marks new ones (approved snapshot)', () => {
    const events = scanText(fixture('tsc/plain.txt')).events;
    const md = jobSummary({ command: 'npx tsc --noEmit', exitCode: 2, durationMs: 1530, events, suggestions: new Map([[events[2].fingerprint, 'edit: Replace `foo` with `food`']]), known: new Set([events[1].fingerprint]) });
    const approved = path.join(__dirname, '../fixtures/ci/job-summary.approved.md');
    expect(md).toBe(readFileSync(approved, 'utf8').replace(/FP(\d)/g, (_m, i: string) => events[Number(i)].fingerprint));
  });
});

/** The official SARIF 2.1.0 schema (OASIS, final: rtm.5), as shipped by Microsoft's SARIF jest matchers. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  return new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false /* the schema's language pattern is not valid with the u flag */ }).compile(schema);
}

describe('SARIF', () => {
  it('validates against the official SARIF 2.1.0 schema, and the validator catches a broken log', () => {
    const validate = sarifValidator();
    const events = scanText(fixture('tsc/plain.txt') + fixture('docker/daemon-down.txt') + fixture('jest/failures.txt')).events;
    const log = sarifLog(events, '0.1.0', new Map([[events[0].fingerprint, 'npm install --save-dev @types/node']]));
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = structuredClone(log) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('is a SARIF 2.1.0 log with rules, locations and fingerprints', () => {
    const events = scanText(fixture('tsc/plain.txt') + fixture('docker/daemon-down.txt')).events;
    const log = sarifLog(events, '0.1.0');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('heal');
    expect(run.results).toHaveLength(4);
    expect(run.results![0]).toMatchObject({ ruleId: 'tsc/module-not-found', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'index.ts' }, region: { startLine: 1, startColumn: 19 } } }] });
    expect(run.results![3].locations).toBeUndefined();
    const ruleIds = run.tool.driver.rules!.map((r) => r.id);
    for (const r of run.results!) expect(ruleIds).toContain(r.ruleId);
  });
});

describe('heal run in CI', () => {
  const failing = ['sh', '-c', `echo "src/a.ts(3,13): error TS2304: Cannot find name 'foo'."; exit 2`];

  it('--ci prints annotations and appends the job summary; --sarif writes the log', async () => {
    const dir = tmp();
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '');
    const r = await runCli(['run', '--ci', '--sarif', path.join(dir, 'out.sarif'), '--store', path.join(dir, 's'), '--', ...failing], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error file=src\/a.ts,line=3,col=13,title=heal%3A tsc\/name-not-found::/m);
    expect(readFileSync(summary, 'utf8')).toContain('**new**');
    expect(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).runs[0].results).toHaveLength(1);
  });

  it('CI=true turns CI mode on', async () => {
    const r = await runCli(['run', '--store', path.join(tmp(), 's'), '--', ...failing], { env: { CI: 'true' } });
    expect(r.stdout).toContain('::error ');
  });

  it('--fail-on new fails on a new error and passes once it is known; any and none as named', async () => {
    const store = path.join(tmp(), 's');
    expect((await runCli(['run', '--fail-on', 'new', '--store', store, '--', ...failing])).code).toBe(1);
    expect((await runCli(['run', '--fail-on', 'new', '--store', store, '--', ...failing])).code).toBe(0);
    expect((await runCli(['run', '--fail-on', 'any', '--store', store, '--', ...failing])).code).toBe(1);
    expect((await runCli(['run', '--fail-on', 'none', '--store', store, '--', ...failing])).code).toBe(0);
    const bad = await runCli(['run', '--fail-on', 'sometimes', '--store', store, '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on must be new, any or none');
  });
});
