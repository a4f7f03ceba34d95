import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JUnitError, looksLikeJUnit, scanJUnit } from '../../shared/detect/junit';

const fixture = (name: string) => createReadStream(path.join(__dirname, '../fixtures/junit', name));

describe('JUnit XML reports', () => {
  it("vitest's report: one event per failing test, at the failing line", async () => {
    const events = await scanJUnit(fixture('vitest-junit.xml'));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      tool: 'vitest',
      category: 'test-failure',
      file: 'cart.test.ts',
      line: 5,
      column: 64,
      data: { test: 'cart > applies the discount' },
    });
    expect(events[0].message).toBe('cart > applies the discount: expected 90 to be 80 // Object.is equality');
    expect(events[1].data?.test).toBe('cart > rejects a negative price');
  });

  it("pytest's report: a failure at its line, and a setup error recognised as the missing fixture it is", async () => {
    const events = await scanJUnit(fixture('pytest-junit.xml'));
    expect(events.map((e) => [e.tool, e.category])).toEqual([
      ['pytest', 'test-failure'],
      ['pytest', 'fixture-not-found'],
    ]);
    expect(events[0]).toMatchObject({
      file: 'test_users.py',
      line: 12,
      data: { test: 'test_users › test_parse_age_rejects_words' },
    });
    expect(events[1].data).toMatchObject({ fixture: 'database', test: 'test_users › test_missing_fixture' });
  });

  it('the same failure gets the same fingerprint every time', async () => {
    const [a] = await scanJUnit(fixture('vitest-junit.xml'));
    const [b] = await scanJUnit(fixture('vitest-junit.xml'));
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  it('a broken report is refused with the reason, not half-read', async () => {
    await expect(
      scanJUnit(Readable.from(['<testsuites><testcase name="x"><failure>'.repeat(1), '</oops>'])),
    ).rejects.toBeInstanceOf(JUnitError);
  });

  it('keeps memory bounded on a failure with a huge captured log', async () => {
    const huge = 'x'.repeat(5 << 20);
    const [e] = await scanJUnit(
      Readable.from([
        `<testsuite name="jest tests"><testcase name="big"><failure message="boom">`,
        huge,
        '</failure></testcase></testsuite>',
      ]),
    );
    expect(e).toMatchObject({ tool: 'jest', message: 'big: boom' });
    expect(e.context.join('\n').length).toBeLessThanOrEqual(16 * 1024);
  });

  it('is recognised by name or content', () => {
    expect(looksLikeJUnit('reports/junit.xml', '')).toBe(true);
    expect(looksLikeJUnit('build/test-results/test/TEST-com.acme.CartTest.xml', '')).toBe(true);
    expect(looksLikeJUnit('out/results.xml', '<?xml version="1.0"?><testsuites name="x">')).toBe(true);
    expect(looksLikeJUnit('pom.xml', '<project>')).toBe(false);
  });
});
