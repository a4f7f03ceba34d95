// A ranked, explained fix proposal: what lookup returns and every face shows.
import type { Fix } from '../fix';

export type Tier = 'exact' | 'similar' | 'rule';
export type Safety = 'safe' | 'review' | 'dangerous';

export interface Suggestion {
  fix: Fix;
  tier: Tier;
  /** 0..1: how likely this fix resolves the failure. */
  confidence: number;
  /** One sentence a user understands. */
  why: string;
  safety: Safety;
  /** `pattern:<fingerprint>@local|remote` or `rule:<rule id>`. */
  provenance: string;
  /** The fingerprint of the failure this fixes, when it came from a detected event. */
  fingerprint?: string;
}

/** The command line a suggestion amounts to for the failed command: a replacement, or a fix then a re-run. */
export function correctedCommandLine(suggestion: Suggestion, failedCommand: string): string | undefined {
  const { fix } = suggestion;
  if (fix.kind === 'replace') return fix.command;
  if (fix.kind === 'command' && fix.command) return failedCommand ? `${fix.command} && ${failedCommand}` : fix.command;
  return undefined;
}
