// Tier 2 on real output: the threshold separates variants from different errors; a remembered fix that names
// the old failure's package is adapted to the new one (or dropped), and ranks against rules by confidence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorEvent } from '../../shared/detect/detector';
import { scanText } from '../../shared/detect/scanner';
import { LocalPatternSource } from '../../shared/lookup/localPatternSource';
import { lookupRun } from '../../shared/lookup/lookup';
import { identityOf, jaccard, renameIn, renaming, shingles, SIMILARITY_THRESHOLD } from '../../shared/lookup/similar';
import type { Rule } from '../../shared/rules/rule';
import type { Fix } from '../../shared/fix';
import { LocalStore } from '../../shared/store/localStore';
import { recordRun } from '../../shared/store/patterns';
import { fixture } from '../detect/expectEvents';

const only = (file: string): ErrorEvent => {
  const events = scanText(fixture(file)).events.filter((e) => e.severity === 'error');
  expect(events.length, file).toBeGreaterThan(0);
  return events[0];
};
const similarity = (a: ErrorEvent, b: ErrorEvent) => jaccard(shingles(a.message), shingles(b.message));

/** A store where `event` was fixed `fixed` times by `fix`, with the given confidence. */
async function remembered(
  event: ErrorEvent,
  fix: Omit<Fix, 'id'>,
  confidence = 0.9,
  fixed = 3,
): Promise<LocalPatternSource> {
  const store = new LocalStore(mkdtempSync(path.join(tmpdir(), 'heal-similar-')));
  await store.update((d) => {
    recordRun(d, [event], { source: 'test' });
    const p = d.patterns[event.fingerprint];
    p.fixes.push({ id: 'remembered', ...fix });
    p.counts.fixed = fixed;
    p.confidence = confidence;
  });
  return new LocalPatternSource(store);
}

describe('tier 2 threshold calibration on real output', () => {
  it('variants of one error (other module names) score at or above the threshold', () => {
    const dayjs = only('node/cannot-find-module.txt');
    const isNumber = only('node/cannot-find-module-is-number.txt');
    const isOdd = only('node/cannot-find-module-is-odd.txt');
    expect(similarity(isNumber, isOdd)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(similarity(dayjs, isOdd)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });

  it('different errors of the same tool score below it', () => {
    const [missingModule, typeMismatch, missingName] = scanText(fixture('tsc/plain.txt')).events;
    expect(similarity(missingModule, typeMismatch)).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(similarity(missingModule, missingName)).toBeLessThan(SIMILARITY_THRESHOLD);
    expect(similarity(only('node/type-error.txt'), only('node/reference-error.txt'))).toBeLessThan(
      SIMILARITY_THRESHOLD,
    );
    expect(similarity(only('node/cannot-find-module.txt'), only('node/type-error.txt'))).toBeLessThan(
      SIMILARITY_THRESHOLD,
    );
  });
});

describe('identities of failures', () => {
  it('pairs the names two failures are about, from their data and quoted parts', () => {
    const from = identityOf(only('node/cannot-find-module-is-number.txt'));
    const to = identityOf(only('node/cannot-find-module-is-odd.txt'));
    expect(renaming(from, to)).toEqual({ renames: [['is-number', 'is-odd']], unmatched: [] });
    expect(renaming(from, from)).toEqual({ renames: [], unmatched: [] });
  });

  it('renames whole names only, and a scoped or nested module by its package too', () => {
    const r = renaming(
      identityOf({ data: { module: 'lodash/fp' }, message: "Cannot find module 'lodash/fp'" }),
      identityOf({ data: { module: 'ramda/src' }, message: "Cannot find module 'ramda/src'" }),
    );
    expect(r.renames).toEqual([
      ['lodash/fp', 'ramda/src'],
      ['lodash', 'ramda'],
    ]);
    expect(renameIn('npm install lodash lodash-es @types/lodash', r.renames)).toBe(
      'npm install ramda lodash-es @types/ramda',
    );
  });
});

describe('tier 2 reuses a fix only for the same thing', () => {
  const isNumber = () => only('node/cannot-find-module-is-number.txt');
  const isOdd = () => only('node/cannot-find-module-is-odd.txt');

  it('after a verified `npm install is-number`, a missing is-odd gets `npm install is-odd` first, never is-number', async () => {
    const source = await remembered(isNumber(), {
      kind: 'command',
      command: 'npm install is-number',
      description: 'Run `npm install is-number`',
    });
    const found = await lookupRun([isOdd()], { command: 'node b.js', cwd: '/nonexistent-project', sources: [source] });
    expect(found[0].fix).toMatchObject({ kind: 'command', command: 'npm install is-odd' });
    expect(found.map((s) => s.fix.command)).not.toContain('npm install is-number');
  });

  it('without rules, the remembered fix is adapted to the new name and says so', async () => {
    const source = await remembered(isNumber(), {
      kind: 'command',
      command: 'npm install is-number',
      description: 'Run `npm install is-number`',
    });
    const event = isOdd();
    const [s, ...rest] = await lookupRun([event], { cwd: '/nonexistent-project', sources: [source], rules: [] });
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      tier: 'similar',
      fix: { kind: 'command', command: 'npm install is-odd', description: 'Run `npm install is-odd`' },
      fingerprint: event.fingerprint,
    });
    expect(s.fix.id).not.toBe('remembered');
    expect(s.why).toMatch(/is-number.*is-odd/);
  });

  it('a fix naming something the new failure has no counterpart for is dropped', async () => {
    const source = await remembered(isNumber(), {
      kind: 'command',
      command: 'npm install is-number',
      description: 'Run `npm install is-number`',
    });
    const stripped: ErrorEvent = { ...isOdd(), data: {}, message: 'Error: Cannot find module is-odd' };
    expect(await lookupRun([stripped], { cwd: '/nonexistent-project', sources: [source], rules: [] })).toEqual([]);
  });

  it('a generic fix (naming nothing) is reused as is, with less confidence than for the very same thing', async () => {
    const source = await remembered(isNumber(), { kind: 'advice', description: 'Check the lockfile is committed' }, 1);
    const [other] = await lookupRun([isOdd()], { cwd: '/nonexistent-project', sources: [source], rules: [] });
    expect(other).toMatchObject({
      tier: 'similar',
      fix: { id: 'remembered', description: 'Check the lockfile is committed' },
    });
    expect(other.confidence).toBeLessThan(1);
  });
});

describe('tier 2 against rules: by confidence', () => {
  const rule = (confidence: number): Rule => ({
    id: 'test.rule',
    propose: (input) => [
      { kind: 'advice', description: 'rule advice', why: 'a rule', confidence, event: input.events[0] },
    ],
  });

  it('a similar failure ranks above a rule only when its confidence is higher', async () => {
    const dayjs = only('node/cannot-find-module.txt');
    const source = await remembered(dayjs, { kind: 'advice', description: 'memory advice' }, 0.7);
    // The same error seen elsewhere (another fingerprint, so tier 1 does not answer; tier 2 finds it 100% alike).
    const variant: ErrorEvent = { ...dayjs, fingerprint: 'variant-of-dayjs' };
    const weakRule = await lookupRun([variant], { cwd: '/nonexistent-project', sources: [source], rules: [rule(0.4)] });
    expect(weakRule.map((s) => s.fix.description)).toEqual(['memory advice', 'rule advice']);
    const strongRule = await lookupRun([variant], {
      cwd: '/nonexistent-project',
      sources: [source],
      rules: [rule(0.9)],
    });
    expect(strongRule.map((s) => s.fix.description)).toEqual(['rule advice', 'memory advice']);
  });
});
