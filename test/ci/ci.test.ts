import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { annotation, escapeData, escapeProperty } from '../../shared/ci/annotations';
import { cell, jobSummary } from '../../shared/ci/jobSummary';
import { artifactLocation, fileUri, sarifLog } from '../../shared/ci/sarif';
import { exitCodeFor } from '../../client/cli/ciOutputs';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
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
    expect(annotation(e, { suggestion: 'npm i -D @types/foo' })).toBe(
      `::error file=src/a%2Cb.ts,line=3,col=13,title=heal%3A tsc/name-not-found::TS2304: Cannot find name 'foo'.%0ASuggested fix: npm i -D @types/foo%0Afingerprint ${e.fingerprint}`,
    );
  });
});

describe('job summary', () => {
  it('groups failures by root cause and marks new ones (approved snapshot)', () => {
    const events = scanText(
      fixture('tsc/plain.txt') +
        "src/load.ts(4,5): error TS2322: Type 'Promise<string>' is not assignable to type 'string & {}'.\n",
    ).events;
    const suggestions = new Map([
      [events[2].fingerprint, 'edit: Replace `foo` with `food`'],
      [events[3].fingerprint, 'edit: await the call: `const s: string = await load<string>()` & rebuild'],
    ]);
    const md = jobSummary({
      command: 'npx tsc --noEmit | tee tsc.log',
      exitCode: 2,
      durationMs: 1530,
      events,
      suggestions,
      known: new Set([events[1].fingerprint]),
    });
    const approved = path.join(__dirname, '../fixtures/ci/job-summary.approved.md');
    expect(md).toBe(
      readFileSync(approved, 'utf8').replace(/FP(\d)/g, (_m, i: string) => events[Number(i)].fingerprint),
    );
  });

  it('escapes HTML and pipes in table cells, but leaves code spans as Markdown shows them', () => {
    expect(cell("Type 'Promise<string>' & <b>")).toBe("Type 'Promise&lt;string&gt;' &amp; &lt;b&gt;");
    expect(cell('a | b\nc')).toBe('a \\| b c');
    expect(cell('use `Map<K, V>` & `a|b`')).toBe('use `Map<K, V>` &amp; `a\\|b`');
    expect(cell('``x ` <y>`` <z>')).toBe('``x ` <y>`` &lt;z&gt;');
    expect(cell('an odd ` backtick <x>')).toBe('an odd ` backtick &lt;x&gt;');
  });
});

/** The official SARIF 2.1.0 schema (OASIS, final: rtm.5), as shipped by Microsoft's SARIF jest matchers. */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // Every format the schema names (uri, uri-reference, date-time …) is checked: an unknown one is an error, not a warning.
  const logger = {
    log: () => undefined,
    warn: (m: string) => {
      throw new Error(`SARIF schema: ${m}`);
    },
    error: (m: string) => {
      throw new Error(`SARIF schema: ${m}`);
    },
  };
  const ajv = new AjvDraft04({
    allErrors: true,
    strict: false,
    logger,
    unicodeRegExp: false /* the schema's language pattern is not valid with the u flag */,
  });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('SARIF', () => {
  it('validates against the official SARIF 2.1.0 schema, and the validator catches a broken log', () => {
    const validate = sarifValidator();
    const events = scanText(
      fixture('tsc/plain.txt') + fixture('docker/daemon-down.txt') + fixture('jest/failures.txt'),
    ).events;
    const log = sarifLog(events, '0.1.0', new Map([[events[0].fingerprint, 'npm install --save-dev @types/node']]));
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = structuredClone(log) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
    // Formats are checked: a raw Windows path is not a URI reference.
    const rawPath = structuredClone(log) as unknown as {
      runs: Array<{
        results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
      }>;
    };
    rawPath.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'C:\\my project\\index.ts';
    expect(validate(rawPath)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('uri-reference');
  });

  it('names files relative to the working directory (%SRCROOT%), others by percent-encoded file: URIs', () => {
    expect(artifactLocation('src/a b#1.ts', '/work/repo')).toEqual({ uri: 'src/a%20b%231.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/work/repo/lib/x.ts', '/work/repo')).toEqual({ uri: 'lib/x.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./src\\win.ts', '/work/repo')).toEqual({ uri: 'src/win.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('src/ünï:code.ts', '/work/repo')).toEqual({
      uri: 'src/%C3%BCn%C3%AF%3Acode.ts',
      uriBaseId: '%SRCROOT%',
    });
    expect(artifactLocation('../other/y.ts', '/work/repo')).toEqual({ uri: 'file:///work/other/y.ts' });
    expect(artifactLocation('/usr/lib/node 20/z.js', '/work/repo')).toEqual({ uri: 'file:///usr/lib/node%2020/z.js' });
    expect(artifactLocation('/work/repository/q.ts', '/work/repo')).toEqual({ uri: 'file:///work/repository/q.ts' });
    expect(artifactLocation('C:\\src\\a.ts', '/work/repo')).toEqual({ uri: 'file:///C:/src/a.ts' });
    expect(artifactLocation('C:\\repo\\src\\a.ts', 'C:\\repo')).toEqual({ uri: 'src/a.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('D:\\x\\a.ts', 'C:\\repo')).toEqual({ uri: 'file:///D:/x/a.ts' });
    expect(fileUri('\\\\server\\share\\a b.ts')).toBe('file://server/share/a%20b.ts');
    const log = sarifLog(scanText(fixture('tsc/plain.txt')).events, '0.1.0', undefined, { root: '/work/my repo' });
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/my%20repo/' } });
    expect(sarifValidator()(log)).toBe(true);
  });

  it('is a SARIF 2.1.0 log with rules, locations and fingerprints', () => {
    const events = scanText(fixture('tsc/plain.txt') + fixture('docker/daemon-down.txt')).events;
    const log = sarifLog(events, '0.1.0');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('heal');
    expect(run.results).toHaveLength(4);
    expect(run.results![0]).toMatchObject({
      ruleId: 'tsc/module-not-found',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'index.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 1, startColumn: 19 },
          },
        },
      ],
    });
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
    const r = await runCli(
      ['run', '--ci', '--sarif', path.join(dir, 'out.sarif'), '--store', path.join(dir, 's'), '--', ...failing],
      { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error file=src\/a.ts,line=3,col=13,title=heal%3A tsc\/name-not-found::/m);
    expect(readFileSync(summary, 'utf8')).toContain('**new**');
    const run = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).runs[0];
    expect(run.results).toHaveLength(1);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'src/a.ts',
      uriBaseId: '%SRCROOT%',
    });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(realpathSync(dir)).href}/`);
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

  it('--fail-on new never turns a failure Heal does not recognise green, however often it happens', async () => {
    const store = path.join(tmp(), 's');
    const crash = ['sh', '-c', 'echo "Segmentation fault"; exit 139'];
    for (let i = 0; i < 2; i++)
      expect((await runCli(['run', '--fail-on', 'new', '--store', store, '--', ...crash])).code).toBe(1);
    expect((await runCli(['run', '--fail-on', 'new', '--store', store, '--', 'false'])).code).toBe(1);
    expect((await runCli(['run', '--fail-on', 'new', '--store', store, '--', 'true'])).code).toBe(0);
    expect((await runCli(['run', '--fail-on', 'none', '--store', store, '--', 'false'])).code).toBe(0);
  });

  it('exit codes under each --fail-on policy', () => {
    const [known, fresh] = scanText(
      "a.ts(1,1): error TS2304: Cannot find name 'a'.\nb.ts(1,1): error TS2307: Cannot find module 'b' or its corresponding type declarations.\n",
    ).events;
    const [warning] = scanText('main.c:3:5: warning: unused variable \u2018x\u2019 [-Wunused-variable]\n').events;
    expect(warning.severity).toBe('warning');
    const seen = new Set([known.fingerprint]);
    const cases: Array<[Parameters<typeof exitCodeFor>[0], number, (typeof known)[], number]> = [
      [undefined, 2, [known], 2],
      [undefined, 0, [], 0],
      ['none', 2, [fresh], 0],
      ['any', 0, [], 0],
      ['any', 0, [known], 1],
      ['any', 3, [], 1],
      ['new', 0, [], 0],
      ['new', 2, [known], 0],
      ['new', 2, [known, fresh], 1],
      ['new', 0, [fresh], 1],
      ['new', 139, [], 1],
      ['new', 1, [warning], 1],
    ];
    for (const [policy, exit, events, want] of cases)
      expect(exitCodeFor(policy, exit, events, seen), `${policy} exit ${exit} with ${events.length} event(s)`).toBe(
        want,
      );
  });
});
