import { describe, expect, it } from 'vitest';
import { saveApplication, type Application } from '../../shared/apply/applications';
import type { ErrorEvent } from '../../shared/detect/detector';
import { computeMetrics, EPISODE_CAP_MS } from '../../shared/metrics/metrics';
import { recordRun } from '../../shared/store/patterns';
import { emptyStore } from '../../shared/store/schema';

const T0 = Date.parse('2026-03-10T09:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const event = (fp: string, message: string): ErrorEvent => ({
  tool: 'tsc',
  category: 'type',
  severity: 'error',
  message,
  context: [],
  startLine: 1,
  endLine: 1,
  fingerprint: fp,
  coarseFingerprint: `c${fp}`,
});
const app = (id: string, fp: string, state: Application['state'], endedMin: number, auto = false): Application => ({
  id,
  fixId: id,
  fingerprint: fp,
  kind: 'edit',
  description: 'x',
  cwd: '/w',
  startedAt: at(endedMin - 1),
  endedAt: at(endedMin),
  state,
  pid: 1,
  host: 'h',
  files: [],
  ...(auto ? { auto } : {}),
});

/** A fixed history: tsc fails twice on A (fixed by hand after 30 min), npm fails on B (fixed by Heal), one
 *  unrecognised failure, and a reverted fix. */
function store() {
  const data = emptyStore();
  const A = event('a', "TS2304: Cannot find name 'x'.");
  const B = event('b', "Cannot find module 'dayjs'");
  recordRun(data, [A], { source: 'terminal', commandLine: 'tsc', exitCode: 2 }, at(0));
  recordRun(data, [A], { source: 'terminal', commandLine: 'tsc', exitCode: 2 }, at(10));
  recordRun(data, [], { source: 'terminal', commandLine: 'tsc', exitCode: 0 }, at(30));
  recordRun(data, [B], { source: 'terminal', commandLine: 'node app.js', exitCode: 1 }, at(40));
  saveApplication(data, app('r1', 'b', 'reverted', 45));
  saveApplication(data, app('v1', 'b', 'verified', 50, true));
  recordRun(data, [], { source: 'terminal', commandLine: 'make', exitCode: 2 }, at(60));
  return data;
}

describe('metrics from a fixed store', () => {
  const m = computeMetrics(store(), { now: T0 + 120 * MIN, days: 7 });

  it('detection rate: failed commands with a recognised error / failed commands', () => {
    expect(m.failedRuns).toBe(4);
    expect(m.recognisedRuns).toBe(3);
    expect(m.detectionRate).toBeCloseTo(3 / 4);
  });

  it('fix success rate: verified / finished applies; auto-fix rate: auto-verified / recognised failures', () => {
    expect(m.fixesFinished).toBe(2);
    expect(m.fixSuccessRate).toBeCloseTo(0.5);
    expect(m.autoFixed).toBe(1);
    expect(m.autoFixRate).toBeCloseTo(1 / 3);
  });

  it('time to resolution: from the first failure until the command passes or a fix verifies', () => {
    // A: 0 → 30 min; B: 40 → 50 min.
    expect(m.meanTimeToResolutionMs).toBe(20 * MIN);
    const a = m.topByOccurrences.find((p) => p.fingerprint === 'a')!;
    expect(a).toMatchObject({
      occurrences: 2,
      episodes: 1,
      resolved: 1,
      meanTimeToResolutionMs: 30 * MIN,
      timeLostMs: 30 * MIN,
    });
    expect(m.topByTimeLost.map((p) => p.fingerprint)).toEqual(['a', 'b']);
  });

  it('an episode still open counts as time lost, capped', () => {
    const data = store();
    recordRun(data, [event('c', 'EADDRINUSE')], { source: 'terminal', commandLine: 'npm start', exitCode: 1 }, at(100));
    const later = computeMetrics(data, { now: T0 + 100 * MIN + 2 * EPISODE_CAP_MS, days: 7 });
    expect(later.topByTimeLost[0]).toMatchObject({ fingerprint: 'c', timeLostMs: EPISODE_CAP_MS, resolved: 0 });
  });

  it('daily series: failures, pattern growth, fixes', () => {
    expect(m.daily).toHaveLength(7);
    const today = m.daily[m.daily.length - 1];
    expect(today).toMatchObject({
      date: '2026-03-10',
      failedRuns: 4,
      recognisedRuns: 3,
      newPatterns: 2,
      patternsTotal: 2,
      fixesApplied: 2,
      fixesVerified: 1,
      remoteCalls: 0,
    });
    expect(m.daily[0]).toMatchObject({ failedRuns: 0, patternsTotal: 0 });
  });

  it('nothing recorded: rates are null, not zero', () => {
    const empty = computeMetrics(emptyStore(), { now: T0, days: 3 });
    expect(empty).toMatchObject({
      detectionRate: null,
      fixSuccessRate: null,
      autoFixRate: null,
      meanTimeToResolutionMs: null,
    });
  });
});
