import { describe, expect, it } from 'vitest';
import { burstiness, determinism, flakyPatterns, type Outcome } from '../../shared/learn/flakiness';
import { recordRun } from '../../shared/store/patterns';
import { emptyStore } from '../../shared/store/schema';
import type { ErrorEvent } from '../../shared/detect/detector';

const HOUR = 3_600_000;
const series = (pattern: string, gap = HOUR): Outcome[] =>
  [...pattern].map((c, i) => ({ at: i * gap, failed: c === 'F' }));

describe('determinism of a failure from its history', () => {
  it('is 1 for a failure that always happens', () => {
    expect(determinism(series('FFFFFFFFFF'))).toBe(1);
  });

  it('is near 0 for a test that alternates pass and fail', () => {
    expect(determinism(series('FPFPFPFPFPFP'))).toBeLessThan(0.1);
  });

  it('is near 0 for failures scattered at random among passes', () => {
    expect(determinism(series('PPFPPPFPFPPPPFPPFPPPFP'))).toBeLessThan(0.3);
  });

  it('stays high when failures come in bursts (broken by a change, repaired by a fix)', () => {
    // Two bursts of failures a few minutes apart inside each, a day between them.
    const burst = (start: number, failed: boolean, n: number) =>
      Array.from({ length: n }, (_, i) => ({ at: start + i * 60_000, failed }));
    const history = [
      ...burst(0, true, 5),
      ...burst(HOUR, false, 5),
      ...burst(24 * HOUR, true, 5),
      ...burst(25 * HOUR, false, 5),
    ];
    expect(determinism(history)).toBeGreaterThan(0.8);
  });

  it('does not judge without enough runs of both outcomes', () => {
    expect(determinism(series('FP'))).toBe(1);
    expect(determinism(series('FFFP'))).toBe(1);
  });

  it('burstiness is −1 for regular gaps and positive for bursts', () => {
    expect(burstiness([0, 10, 20, 30, 40])).toBeCloseTo(-1);
    expect(burstiness([0, 1, 2, 1000, 1001, 1002])).toBeGreaterThan(0.3);
  });
});

describe('flaky patterns in the store', () => {
  const event: ErrorEvent = {
    tool: 'jest',
    category: 'test',
    severity: 'error',
    message: 'checkout › applies the discount',
    context: [],
    startLine: 1,
    endLine: 1,
    fingerprint: 'f1',
    coarseFingerprint: 'c1',
  };

  it('marks a test that fails and passes in turn under the same command, and not a steady failure', () => {
    const data = emptyStore();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    [...'FPFPFPFP'].forEach((c, i) =>
      recordRun(
        data,
        c === 'F' ? [event] : [],
        { source: 'terminal', commandLine: 'npm test', exitCode: c === 'F' ? 1 : 0 },
        new Date(t0 + i * HOUR).toISOString(),
      ),
    );
    const steady = { ...event, fingerprint: 'f2', coarseFingerprint: 'c2', message: 'TS2304' };
    [...'FFFFFF'].forEach((_, i) =>
      recordRun(
        data,
        [steady],
        { source: 'terminal', commandLine: 'tsc', exitCode: 2 },
        new Date(t0 + i * HOUR).toISOString(),
      ),
    );
    const flaky = flakyPatterns(data);
    expect([...flaky.keys()]).toEqual(['f1']);
    expect(flaky.get('f1')).toBeLessThan(0.2);
  });
});
