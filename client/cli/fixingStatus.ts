// The safe-fixing part of `heal status`: applies that were interrupted, and the circuit breaker.
import { interruptedApplications } from '../../shared/apply/applications';
import { breakerSection, breakerView } from '../../shared/learn/circuitBreaker';
import type { StoreData } from '../../shared/store/schema';
import type { Output } from './output';

export function fixingStatusJson(data: StoreData, now = Date.now()) {
  const breaker = breakerView(breakerSection.get(data), now);
  return {
    breaker: {
      state: breaker.state,
      recentReverts: breaker.recentReverts,
      reopensAt: breaker.reopensAt ? new Date(breaker.reopensAt).toISOString() : null,
    },
    interruptedApplies: interruptedApplications(data).map((a) => ({
      id: a.id,
      fixId: a.fixId,
      startedAt: a.startedAt,
      description: a.description,
      files: a.files,
      revert: `heal revert ${a.id}`,
    })),
  };
}

export function printFixingStatus(out: Output, data: StoreData, now = Date.now()): void {
  const { breaker, interruptedApplies } = fixingStatusJson(data, now);
  if (breaker.state === 'open')
    out.line(
      out.red(
        `Circuit breaker open after ${breaker.recentReverts} reverts in the last hour: no fixes are applied until ${breaker.reopensAt?.slice(11, 16)} UTC.`,
      ),
    );
  else if (breaker.state === 'halfOpen')
    out.line(
      out.yellow('Circuit breaker half-open: the next apply is a trial; if it is reverted the breaker opens again.'),
    );
  for (const a of interruptedApplies) {
    out.line(
      out.red(
        `Interrupted apply ${a.id} (fix ${a.fixId}: ${a.description}, started ${a.startedAt}). Each file is either unchanged or fully changed; to undo it run: ${a.revert}`,
      ),
    );
  }
}
