import { describe, expect, it } from 'vitest';
import {
  breakerView,
  recordRevert,
  recordSuccess,
  requestAttempt,
  type BreakerState,
} from '../../shared/learn/circuitBreaker';
import { wilsonLowerBound } from '../../shared/learn/confidence';
import { recordOutcome } from '../../shared/learn/outcome';
import { ignore, shouldQuarantine, unquarantine } from '../../shared/learn/quarantine';
import { autoApplyDecision } from '../../shared/validate/policy';
import { emptyStore, type Pattern } from '../../shared/store/schema';
import type { Fix } from '../../shared/fix';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

describe('circuit breaker', () => {
  const fresh = (): BreakerState => ({ state: 'closed', reverts: [] });

  it('one revert does not trip it; two within an hour do', () => {
    const s = fresh();
    recordRevert(s, T0);
    expect(breakerView(s, T0).state).toBe('closed');
    recordRevert(s, T0 + 59 * MIN);
    expect(breakerView(s, T0 + 59 * MIN)).toMatchObject({ state: 'open', recentReverts: 2 });
    expect(requestAttempt(s, T0 + 60 * MIN).allowed).toBe(false);
    expect(requestAttempt(s, T0 + 60 * MIN).reason).toMatch(/open after 2 reverts.*resumes in 29 min/);
  });

  it('two reverts more than an hour apart do not trip it', () => {
    const s = fresh();
    recordRevert(s, T0);
    recordRevert(s, T0 + 61 * MIN);
    expect(breakerView(s, T0 + 61 * MIN).state).toBe('closed');
    expect(s.reverts).toHaveLength(1);
  });

  it('is half-open after 30 minutes and lets exactly one attempt through', () => {
    const s = fresh();
    recordRevert(s, T0);
    recordRevert(s, T0 + MIN);
    expect(breakerView(s, T0 + 30 * MIN).state).toBe('open');
    const t = T0 + 31 * MIN;
    expect(breakerView(s, t).state).toBe('halfOpen');
    expect(requestAttempt(s, t).allowed).toBe(true);
    expect(requestAttempt(s, t + MIN)).toMatchObject({ allowed: false, reason: expect.stringMatching(/half-open/) });
    // The trial's window runs out (the trial died): another may try.
    expect(requestAttempt(s, t + 6 * MIN).allowed).toBe(true);
  });

  it('closes after a successful half-open attempt and re-opens after a failed one', () => {
    const ok = fresh();
    recordRevert(ok, T0);
    recordRevert(ok, T0 + MIN);
    requestAttempt(ok, T0 + 31 * MIN);
    recordSuccess(ok, T0 + 32 * MIN);
    expect(breakerView(ok, T0 + 32 * MIN)).toMatchObject({ state: 'closed', recentReverts: 0 });

    const bad = fresh();
    recordRevert(bad, T0);
    recordRevert(bad, T0 + MIN);
    requestAttempt(bad, T0 + 31 * MIN);
    recordRevert(bad, T0 + 32 * MIN);
    expect(breakerView(bad, T0 + 33 * MIN)).toMatchObject({ state: 'open', reopensAt: T0 + 62 * MIN });
  });

  it('a success while closed changes nothing', () => {
    const s = fresh();
    recordRevert(s, T0);
    recordSuccess(s, T0 + MIN);
    expect(s.reverts).toEqual([T0]);
  });
});

describe('confidence and outcomes', () => {
  it('Wilson lower bound grows with evidence and stays below the raw rate', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 3);
    expect(wilsonLowerBound(10, 10)).toBeGreaterThan(wilsonLowerBound(1, 1));
    expect(wilsonLowerBound(8, 10)).toBeLessThan(0.8);
    expect(wilsonLowerBound(80, 100)).toBeGreaterThan(wilsonLowerBound(8, 10));
  });

  const pattern = (): Pattern => ({
    fingerprint: 'fp',
    coarseFingerprint: 'c',
    tool: 'node',
    category: 'x',
    message: 'm',
    examples: [],
    counts: { seen: 3, fixed: 0, failed: 0 },
    firstSeen: 'a',
    lastSeen: 'b',
    history: [],
    daily: {},
    fixes: [],
    confidence: 0,
    quarantined: false,
    ignored: false,
    commands: [],
  });
  const fix: Fix = { id: 'f1', kind: 'command', command: 'npm install x', description: 'install x' };

  it('a verified fix counts, resolves the issue and becomes tier-1 knowledge', () => {
    const data = emptyStore();
    data.patterns.fp = pattern();
    const p = recordOutcome(data, 'fp', fix, 'verified', '2026-01-01T00:00:00Z')!;
    expect(p.counts.fixed).toBe(1);
    expect(p.lastOutcome).toBe('verified');
    expect(p.resolvedAt).toBe('2026-01-01T00:00:00Z');
    expect(p.fixes).toEqual([fix]);
    expect(p.confidence).toBeCloseTo(wilsonLowerBound(1, 1));
    recordOutcome(data, 'fp', fix, 'verified', '2026-01-02T00:00:00Z');
    expect(p.fixes).toHaveLength(1);
  });

  it('quarantines after 3 failures with a success rate below 50 %, not before', () => {
    const data = emptyStore();
    data.patterns.fp = pattern();
    recordOutcome(data, 'fp', fix, 'verified', 't');
    recordOutcome(data, 'fp', fix, 'reverted', 't');
    recordOutcome(data, 'fp', fix, 'reverted', 't');
    expect(data.patterns.fp.quarantined).toBe(false);
    recordOutcome(data, 'fp', fix, 'reverted', 't');
    expect(data.patterns.fp.quarantined).toBe(true);
    expect(data.patterns.fp.lastOutcome).toBe('reverted');
    unquarantine(data, 'fp');
    expect(data.patterns.fp.quarantined).toBe(false);
    expect(shouldQuarantine({ seen: 9, fixed: 3, failed: 3 })).toBe(false);
    expect(shouldQuarantine({ seen: 9, fixed: 2, failed: 3 })).toBe(true);
  });

  it('ignores and unquarantines by unique prefix, and says when a fingerprint is unknown or ambiguous', () => {
    const data = emptyStore();
    data.patterns.abc1 = { ...pattern(), fingerprint: 'abc1' };
    data.patterns.abc2 = { ...pattern(), fingerprint: 'abc2' };
    expect(ignore(data, 'abc1').ignored).toBe(true);
    expect(() => ignore(data, 'abc')).toThrow(/matches 2 patterns/);
    expect(() => unquarantine(data, 'zzz')).toThrow(/No pattern/);
  });

  it('an outcome for an unknown fingerprint changes nothing', () => {
    const data = emptyStore();
    expect(recordOutcome(data, 'nope', fix, 'verified', 't')).toBeUndefined();
    expect(data.patterns).toEqual({});
  });
});

describe('auto-apply policy', () => {
  const closed = { state: 'closed' as const, recentReverts: 0 };
  const good = { tier: 'exact' as const, confidence: 0.9, safety: 'safe' as const };
  it('is off by default', () => {
    expect(autoApplyDecision(good, {}, { trusted: true, breaker: closed })).toMatchObject({
      allowed: false,
      reasons: [expect.stringMatching(/off/)],
    });
  });
  it('allows only safe, tier-1, confident fixes in a trusted workspace with the breaker closed', () => {
    const on = { autoApply: 'safe' as const };
    expect(autoApplyDecision(good, on, { trusted: true, breaker: closed }).allowed).toBe(true);
    expect(autoApplyDecision({ ...good, safety: 'review' }, on, { trusted: true, breaker: closed }).reasons).toEqual([
      'the fix is classified review',
    ]);
    expect(autoApplyDecision({ ...good, tier: 'rule' }, on, { trusted: true, breaker: closed }).allowed).toBe(false);
    expect(autoApplyDecision({ ...good, confidence: 0.8 }, on, { trusted: true, breaker: closed }).allowed).toBe(false);
    expect(
      autoApplyDecision({ ...good, confidence: 0.8 }, { ...on, minConfidence: 0.5 }, { trusted: true, breaker: closed })
        .allowed,
    ).toBe(true);
    expect(autoApplyDecision(good, on, { trusted: false, breaker: closed }).reasons).toEqual([
      'the workspace is not trusted',
    ]);
    expect(
      autoApplyDecision(good, on, { trusted: true, breaker: { state: 'open', recentReverts: 2 } }).reasons,
    ).toEqual(['the circuit breaker is open']);
    expect(
      autoApplyDecision(good, on, { trusted: true, breaker: { state: 'halfOpen', recentReverts: 2 } }).allowed,
    ).toBe(false);
    expect(autoApplyDecision({ ...good, quarantined: true }, on, { trusted: true, breaker: closed }).allowed).toBe(
      false,
    );
    expect(
      autoApplyDecision({ ...good, hotFiles: ['/w/a.ts'] }, on, { trusted: true, breaker: closed }).reasons,
    ).toEqual(['/w/a.ts changed 3 or more times in the last hour']);
  });
});

describe('hot files', () => {
  it('a file Heal changed 3 times within the hour is hot; older changes do not count', async () => {
    const { hotFiles, saveApplication } = await import('../../shared/apply/applications');
    const data = emptyStore();
    const app = (id: string, startedAt: string, files: string[]) =>
      saveApplication(data, {
        id,
        fixId: 'f',
        kind: 'edit',
        description: '',
        cwd: '/w',
        startedAt,
        state: 'verified',
        pid: 1,
        host: 'h',
        files,
      });
    app('1', '2026-01-01T11:10:00.000Z', ['/w/a.ts', '/w/b.ts']);
    app('2', '2026-01-01T11:20:00.000Z', ['/w/a.ts']);
    app('3', '2026-01-01T11:30:00.000Z', ['/w/a.ts', '/w/b.ts']);
    app('4', '2026-01-01T09:00:00.000Z', ['/w/b.ts']);
    expect([...hotFiles(data, Date.parse('2026-01-01T12:00:00.000Z'))]).toEqual(['/w/a.ts']);
    expect([...hotFiles(data, Date.parse('2026-01-01T12:15:00.000Z'))]).toEqual([]);
  });
});
