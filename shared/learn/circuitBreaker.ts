// Circuit breaker: 2 reverts within an hour stop all applying for 30 minutes; then one attempt (half-open)
// decides whether it closes again or re-opens. Time comes from an injected clock.
import { z } from 'zod';
import { defineSection } from '../store/section';

export const BREAKER_WINDOW_MS = 60 * 60_000;
export const BREAKER_TRIP_REVERTS = 2;
export const BREAKER_OPEN_MS = 30 * 60_000;
/** How long the single half-open attempt may take before another is allowed. */
export const BREAKER_HALF_OPEN_WINDOW_MS = 5 * 60_000;

export const breakerSchema = z.object({
  state: z.enum(['closed', 'open', 'halfOpen']),
  /** Revert times (ms since epoch) within the rolling window. */
  reverts: z.array(z.number()),
  openedAt: z.number().optional(),
  /** When the half-open attempt started. */
  attemptAt: z.number().optional(),
});
export type BreakerState = z.infer<typeof breakerSchema>;

export const breakerSection = defineSection('breaker', breakerSchema, (): BreakerState => ({
  state: 'closed',
  reverts: [],
}));

export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export interface BreakerView {
  state: BreakerState['state'];
  /** Reverts within the last hour. */
  recentReverts: number;
  /** When an open breaker becomes half-open (ms). */
  reopensAt?: number;
}

/** The state as of `now` (an open breaker past its 30 minutes is half-open). */
export function breakerView(s: BreakerState, now: number): BreakerView {
  const recentReverts = s.reverts.filter((t) => now - t < BREAKER_WINDOW_MS).length;
  if (s.state === 'open' && s.openedAt !== undefined) {
    const reopensAt = s.openedAt + BREAKER_OPEN_MS;
    return now >= reopensAt ? { state: 'halfOpen', recentReverts } : { state: 'open', recentReverts, reopensAt };
  }
  return { state: s.state, recentReverts };
}

export interface Permission {
  allowed: boolean;
  reason?: string;
}

/** Asks to start an apply; in half-open state only one attempt at a time is let through (and marked). */
export function requestAttempt(s: BreakerState, now: number): Permission {
  const view = breakerView(s, now);
  if (view.state === 'open') {
    const minutes = Math.ceil(((view.reopensAt ?? now) - now) / 60_000);
    return {
      allowed: false,
      reason: `the circuit breaker is open after ${BREAKER_TRIP_REVERTS} reverts within an hour; applying resumes in ${minutes} min (one trial apply first)`,
    };
  }
  if (view.state === 'halfOpen') {
    if (s.attemptAt !== undefined && now - s.attemptAt < BREAKER_HALF_OPEN_WINDOW_MS)
      return { allowed: false, reason: 'the circuit breaker is half-open and its one trial apply is under way' };
    s.state = 'halfOpen';
    s.attemptAt = now;
  }
  return { allowed: true };
}

/** A revert happened: may trip the breaker, and re-opens a half-open one. */
export function recordRevert(s: BreakerState, now: number): void {
  s.reverts = [...s.reverts.filter((t) => now - t < BREAKER_WINDOW_MS), now];
  const view = breakerView(s, now);
  if (view.state === 'halfOpen' || (view.state === 'closed' && s.reverts.length >= BREAKER_TRIP_REVERTS)) {
    s.state = 'open';
    s.openedAt = now;
    delete s.attemptAt;
  }
}

/** A fix was verified: a half-open breaker closes. */
export function recordSuccess(s: BreakerState, now: number): void {
  if (breakerView(s, now).state === 'halfOpen') {
    s.state = 'closed';
    s.reverts = [];
    delete s.openedAt;
    delete s.attemptAt;
  }
}
