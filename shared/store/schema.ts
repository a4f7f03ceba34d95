// The local store's document: validated on every read, so a hand-edited file fails loudly instead of silently.
import { z } from 'zod';
import { fixSchema } from '../fix';

export const STORE_VERSION = 1;
/** Bounds that keep the store file small however long Heal runs. */
export const MAX_HISTORY = 50;
export const MAX_EXAMPLES = 5;
export const MAX_DAILY_DAYS = 120;
export const MAX_RUNS = 5000;

export const patternSchema = z.object({
  fingerprint: z.string(),
  coarseFingerprint: z.string(),
  tool: z.string(),
  category: z.string(),
  /** Normalised message (variable parts replaced). */
  message: z.string(),
  examples: z.array(z.string()).max(MAX_EXAMPLES),
  file: z.string().optional(),
  line: z.number().optional(),
  counts: z.object({ seen: z.number().int().min(0), fixed: z.number().int().min(0), failed: z.number().int().min(0) }),
  firstSeen: z.string(),
  lastSeen: z.string(),
  history: z.array(z.string()).max(MAX_HISTORY),
  daily: z.record(z.string(), z.number().int().min(0)),
  fixes: z.array(fixSchema),
  confidence: z.number().min(0).max(1),
  quarantined: z.boolean(),
  ignored: z.boolean(),
  /** Set when the failing command later succeeded or a fix was verified; cleared by a new occurrence. */
  resolvedAt: z.string().optional(),
  lastOutcome: z.enum(['verified', 'reverted', 'failed']).optional(),
  /** Values the detector pulled out (module, port, test …), which rules use. */
  data: z.record(z.string(), z.string()).optional(),
  /** Commands this pattern was seen with (bounded), for verification re-runs and flakiness. */
  commands: z.array(z.string()).max(10).default([]),
});
export type Pattern = z.infer<typeof patternSchema>;

export const runSchema = z.object({
  id: z.string(),
  at: z.string(),
  source: z.string(),
  commandLine: z.string().optional(),
  cwd: z.string().optional(),
  exitCode: z.number().int().optional(),
  durationMs: z.number().optional(),
  /** Fine fingerprints of the errors recognised in this run. */
  fingerprints: z.array(z.string()),
});
export type RunRecord = z.infer<typeof runSchema>;

export const storeDataSchema = z.object({
  version: z.literal(STORE_VERSION),
  patterns: z.record(z.string(), patternSchema),
  runs: z.array(runSchema),
  /** Feature-owned parts of the document, each validated by its owner (see section.ts). */
  sections: z.record(z.string(), z.unknown()),
});
export type StoreData = z.infer<typeof storeDataSchema>;

export function emptyStore(): StoreData {
  return { version: STORE_VERSION, patterns: {}, runs: [], sections: {} };
}
