// JUnit XML (what most test runners write for CI): one event per failing or erroring test case, read as a
// stream with bounded memory. A failure's text goes through the detectors first, so a specific cause inside it
// (a missing pytest fixture, a missing module) is recognised as such; otherwise the event is a test failure.
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { fingerprintOf } from '../fingerprint';
import { Category } from './categories';
import type { ErrorEvent } from './detector';
import { scanText } from './scanner';

/** Text kept per failure: the head names the cause; a huge captured log must not fill memory. */
const MAX_FAILURE_TEXT = 16 * 1024;
const LOCATION = /((?:[A-Za-z]:)?[\w./\\-]+\.(?:[cm]?[jt]sx?|py|java|kt|go|rs|rb|cs|php|swift)):(\d+)(?::(\d+))?/;

export class JUnitError extends Error {
  override name = 'JUnitError';
}

/** The tool a report comes from, from the names test runners give their suites. */
function toolOf(suitesName: string): string {
  const m = /\b(jest|vitest|mocha|pytest|cargo|go|maven|surefire|gradle|phpunit|rspec)\b/i.exec(suitesName);
  return m ? m[1].toLowerCase() : 'junit';
}

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  kind?: 'failure' | 'error';
  message: string;
  text: string;
}

function eventsOf(c: Case, tool: string): ErrorEvent[] {
  const test =
    c.classname && !c.name.includes(c.classname) && !/\.[a-z]+$/.test(c.classname)
      ? `${c.classname} › ${c.name}`
      : c.name;
  const where = LOCATION.exec(c.text) ?? LOCATION.exec(c.message);
  const file = c.file ?? where?.[1] ?? (/\.[cm]?[jt]sx?$|\.py$/.test(c.classname) ? c.classname : undefined);
  const line = c.line ?? (where ? Number(where[2]) : undefined);
  const column = where?.[3] ? Number(where[3]) : undefined;
  // A specific cause in the failure text (not the assertion's own exception) wins over "the test failed".
  const generic = new Set<string>([Category.testFailure, Category.exception]);
  const inner = scanText(c.text.trim() ? c.text : c.message).events.filter(
    (e) => e.severity === 'error' && e.tool !== 'generic' && !generic.has(e.category),
  );
  if (inner.length)
    return inner.map((e) => ({ ...e, file: e.file ?? file, line: e.line ?? line, data: { ...e.data, test } }));
  // pytest reports a missing fixture only in its summary, which a JUnit report does not have.
  const fixture = /^E\s+fixture '([^']+)' not found/m.exec(c.text)?.[1];
  const first =
    (c.message || c.text)
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const message = fixture ? `${test}: fixture '${fixture}' not found` : first ? `${test}: ${first}` : test;
  const category = fixture ? Category.fixtureNotFound : c.kind === 'error' ? Category.testError : Category.testFailure;
  const context = c.text.split('\n').slice(0, 20);
  return [
    {
      tool,
      category,
      severity: 'error',
      message,
      file,
      line,
      column,
      data: { test, ...(fixture ? { fixture } : {}) },
      context,
      startLine: 0,
      endLine: 0,
      ...fingerprintOf(tool, category, message),
    },
  ];
}

/** Reads a JUnit XML report; throws JUnitError naming the problem when it is not well-formed XML. */
export async function scanJUnit(input: Readable): Promise<ErrorEvent[]> {
  const parser = new SaxesParser({ position: true });
  const events: ErrorEvent[] = [];
  let tool = 'junit';
  let current: Case | undefined;
  let inFailure = false;
  let failed: Error | undefined;
  parser.on('error', (e) => {
    failed ??= new JUnitError(`not well-formed JUnit XML: ${e.message}`);
  });
  parser.on('opentag', (tag) => {
    const attr = (name: string) => {
      const v = tag.attributes[name];
      return typeof v === 'string' ? v : undefined;
    };
    if (tag.name === 'testsuites' || (tag.name === 'testsuite' && tool === 'junit'))
      tool = toolOf(attr('name') ?? '') === 'junit' ? tool : toolOf(attr('name') ?? '');
    else if (tag.name === 'testcase')
      current = {
        name: attr('name') ?? '(unnamed test)',
        classname: attr('classname') ?? '',
        file: attr('file'),
        line: attr('line') ? Number(attr('line')) : undefined,
        message: '',
        text: '',
      };
    else if (current && (tag.name === 'failure' || tag.name === 'error')) {
      // A case with both keeps the first; more failures of one case add nothing new.
      current.kind ??= tag.name;
      current.message ||= attr('message') ?? '';
      inFailure = true;
    }
  });
  const text = (t: string) => {
    if (current && inFailure && current.text.length < MAX_FAILURE_TEXT)
      current.text += t.slice(0, MAX_FAILURE_TEXT - current.text.length);
  };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.on('closetag', (tag) => {
    if (tag.name === 'failure' || tag.name === 'error') inFailure = false;
    else if (tag.name === 'testcase' && current) {
      if (current.kind) events.push(...eventsOf(current, tool));
      current = undefined;
    }
  });
  for await (const chunk of input) {
    parser.write(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    if (failed) throw failed;
  }
  parser.close();
  if (failed) throw failed;
  return events;
}

/** Whether a file is a JUnit report, by name or by its first bytes. */
export function looksLikeJUnit(name: string, head: string): boolean {
  return (
    /(^|[\\/])(junit|TEST-)[^\\/]*\.xml$|[\\/]test-results[\\/].*\.xml$/i.test(name) ||
    (/\.xml$/i.test(name) && /<testsuites?[\s>]/.test(head))
  );
}
